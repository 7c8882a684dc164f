import request from 'supertest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adaLead, createLead } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';

/** A sales team with its own stages (STAGES_FILE): every rule follows the configured catalogue. */
describe('A configured stage catalogue', () => {
  let t: TestApp;
  const stagesDir = mkdtempSync(join(tmpdir(), 'pl-stages-'));
  beforeAll(async () => {
    const file = join(stagesDir, 'stages.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'Discovery', probability: 15, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
        { name: 'Demo', probability: 40, forecastCategory: 'Best Case', isClosed: false, isWon: false },
        { name: 'Signed', probability: 100, forecastCategory: 'Closed', isClosed: true, isWon: true },
        { name: 'No Deal', probability: 0, forecastCategory: 'Omitted', isClosed: true, isWon: false },
      ]),
    );
    t = await startTestApp({ env: { STAGES_FILE: file } });
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
    removeDir(stagesDir);
  });

  it('lists its stages, starts opportunities in its first stage and closes them in its own won and lost stages', async () => {
    const stages = await request(t.http).get('/stages').expect(200);
    expect(stages.body.stages.map((s: { name: string }) => s.name)).toEqual(['Discovery', 'Demo', 'Signed', 'No Deal']);

    const lead = await createLead(t, adaLead);
    const conv = await request(t.http).post(`/leads/${lead}/convert`).send({ opportunity: { closeDate: '2027-01-31' } }).expect(200);
    const opp = conv.body.opportunityId;
    await request(t.http).get(`/opportunities/${opp}`).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ stage: 'Discovery', probability: 15 }));
    await request(t.http).post(`/opportunities/${opp}/stage`).send({ stage: 'Prospecting' }).expect(400)
      .expect((r) => expect(r.body.issues[0]).toMatchObject({ field: 'stage', reason: expect.stringContaining('Demo') }));
    await request(t.http).post(`/opportunities/${opp}/stage`).send({ stage: 'Demo' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ probability: 40, forecastCategory: 'Best Case' }));
    await request(t.http).post(`/opportunities/${opp}/close-won`).send({}).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ stage: 'Signed', isWon: true }));
    await request(t.http).post(`/opportunities/${opp}/reopen`).send({}).expect(200);
    await request(t.http).post(`/opportunities/${opp}/close-lost`).send({ reason: 'budget cut' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ stage: 'No Deal', lossReason: 'budget cut' }));
  });
});
