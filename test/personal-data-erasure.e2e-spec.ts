import request from 'supertest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp, removeDir, startTestApp } from './support/test-app';
import { eventually } from './support/eventually';
import { adaLead } from './support/fixtures';

/** Plaintext that must not survive an erasure anywhere: each is distinctive enough to find in raw bytes. */
const ZERLINA = {
  firstName: 'Zerlina',
  lastName: 'Quarterhouse',
  company: 'Erasure Test Works',
  email: 'zerlina.quarterhouse@erasure.example',
  phone: '+44 20 7946 0999',
  source: 'Web Form',
  owner: 'bob',
};
const ZERLINA_PLAINTEXT = [ZERLINA.firstName, ZERLINA.lastName, ZERLINA.email, ZERLINA.phone];
/** A person who is not erased: the same scan must find them, or it proves nothing. */
const KEPT = { ...adaLead, firstName: 'Ottoline', lastName: 'Keepwell', email: 'ottoline.keepwell@kept.example', owner: 'bob' };

/** Which of the strings occur in any file of the directory (the databases, their logs, anything else the service wrote). */
function filesContaining(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, name));
    for (const needle of needles) if (bytes.includes(Buffer.from(needle, 'utf8'))) hits.push(`${name}: ${needle}`);
  }
  return hits;
}

/** An analytics answer without its freshness (positions move on with every event; the figures must not). */
async function figures(t: TestApp): Promise<unknown[]> {
  const paths = ['/analytics/pipeline', '/analytics/conversion?groupBy=source', '/analytics/conversion?groupBy=owner&basis=period', '/analytics/win-rate?groupBy=owner'];
  const answers = [];
  for (const path of paths) {
    const { freshness: _freshness, ...body } = (await request(t.http).get(path).expect(200)).body;
    answers.push(body);
  }
  return answers;
}

describe('personal data: encrypted at rest, erased on request (crypto-shredding)', () => {
  let t: TestApp;
  let leadId: string;
  let contactId: string;
  let keptId: string;

  beforeAll(async () => {
    t = await startTestApp();
    leadId = (await request(t.http).post('/leads').send(ZERLINA).expect(201)).body.id;
    await request(t.http).post(`/leads/${leadId}/contacts`).send({ channel: 'call', note: 'intro' }).expect(200);
    const converted = await request(t.http)
      .post(`/leads/${leadId}/convert`)
      .send({ opportunity: { closeDate: '2027-03-31', amount: 250_000, currency: 'EUR' } })
      .expect(200);
    contactId = converted.body.contactId;
    await request(t.http).post(`/opportunities/${converted.body.opportunityId}/stage`).send({ stage: 'Closed Won' }).expect(200);
    keptId = (await request(t.http).post('/leads').send(KEPT).expect(201)).body.id;
    await eventually(async () => {
      const list = await request(t.http).get('/leads').expect(200);
      expect(list.body.total).toBe(2);
      expect((await request(t.http).get('/analytics/win-rate?groupBy=owner').expect(200)).body.freshness.lag).toBe('0');
    });
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('keeps names, email and phone out of the event store and its log: they are stored encrypted', async () => {
    expect(filesContaining(t.dataDir, ZERLINA_PLAINTEXT).filter((hit) => hit.startsWith('events.sqlite'))).toEqual([]);
    // ... while everything else in the event is stored as it was given.
    expect(filesContaining(t.dataDir, [ZERLINA.company]).some((hit) => hit.startsWith('events.sqlite'))).toBe(true);
    // Read back, the fields are whole again.
    const lead = await request(t.http).get(`/leads/${leadId}`).expect(200);
    expect(lead.body).toMatchObject({ firstName: 'Zerlina', lastName: 'Quarterhouse', email: ZERLINA.email, phone: ZERLINA.phone });
  });

  it('erases the lead and the contact it became; every reading shows "[erased]"; the figures stay exactly the same, before and after a rebuild', async () => {
    const before = await figures(t);
    const erased = await request(t.http).post(`/people/${leadId}/erase`).expect(200);
    expect(erased.body.records).toEqual([
      { kind: 'lead', id: leadId },
      { kind: 'contact', id: contactId },
    ]);

    const lead = await request(t.http).get(`/leads/${leadId}`).expect(200);
    expect(lead.body).toMatchObject({ firstName: '[erased]', lastName: '[erased]', email: '[erased]', phone: '[erased]', company: ZERLINA.company, source: 'Web Form' });
    const contact = await request(t.http).get(`/contacts/${contactId}`).expect(200);
    expect(contact.body).toMatchObject({ firstName: '[erased]', lastName: '[erased]', email: '[erased]', phone: '[erased]' });

    // Every event of the history, the first LeadCreated included, and the conversion's events across streams.
    const history = await request(t.http).get(`/leads/${leadId}/history`).expect(200);
    expect(history.body.entries.map((e: { type: string }) => e.type)).toContain('LeadPersonalDataErased');
    expect(history.body.entries[0].data).toMatchObject({ firstName: '[erased]', email: '[erased]', company: ZERLINA.company });
    const correlated = await request(t.http).get(`/correlations/${history.body.entries.find((e: { type: string }) => e.type === 'LeadConverted').correlationId}`).expect(200);
    for (const text of [JSON.stringify(history.body), JSON.stringify(correlated.body)]) {
      for (const plain of ZERLINA_PLAINTEXT) expect(text).not.toContain(plain);
    }

    // The read models: the list row is rewritten by the erasure event; the figures do not move.
    await eventually(async () => {
      const list = await request(t.http).get('/leads?sort=createdAt').expect(200);
      const row = list.body.items.find((l: { id: string }) => l.id === leadId);
      expect(row).toMatchObject({ firstName: '[erased]', lastName: '[erased]', email: '[erased]', phone: '[erased]', status: 'Closed - Converted' });
      expect(await figures(t)).toEqual(before);
    });

    await request(t.http).post('/projections/rebuild').send({}).expect(202);
    await eventually(async () => {
      const projections = (await request(t.http).get('/projections').expect(200)).body.projections;
      expect(projections.every((p: { rebuilding: unknown; active: { generation: number } }) => p.rebuilding === null && p.active.generation > 1)).toBe(true);
    });
    expect(await figures(t)).toEqual(before);
    const rebuilt = await request(t.http).get('/leads?sort=createdAt').expect(200);
    expect(rebuilt.body.items.find((l: { id: string }) => l.id === leadId)).toMatchObject({ firstName: '[erased]', email: '[erased]' });

    // The hash chain covers the stored (sealed) bytes, which erasure does not touch.
    expect((await request(t.http).get(`/leads/${leadId}/verify`).expect(200)).body).toMatchObject({ ok: true });
    expect((await request(t.http).get(`/contacts/${contactId}/verify`).expect(200)).body).toMatchObject({ ok: true });
  });

  it('is idempotent, 404s an unknown person, and refuses new personal data for an erased lead', async () => {
    const again = await request(t.http).post(`/people/${contactId}/erase`).expect(200);
    expect(again.body.records).toEqual([
      { kind: 'contact', id: contactId },
      { kind: 'lead', id: leadId },
    ]);
    const history = await request(t.http).get(`/leads/${leadId}/history`).expect(200);
    expect(history.body.entries.filter((e: { type: string }) => e.type === 'LeadPersonalDataErased')).toHaveLength(1);
    await request(t.http).post('/people/7d1c3f7e-0000-4000-8000-000000000000/erase').expect(404);

    const fresh = (await request(t.http).post('/leads').send({ ...ZERLINA, email: null, phone: null }).expect(201)).body.id;
    await request(t.http).post(`/people/${fresh}/erase`).expect(200);
    const refused = await request(t.http).patch(`/leads/${fresh}`).send({ email: 'back@erasure.example' }).expect(409);
    expect(refused.body).toMatchObject({ error: 'PERSONAL_DATA_ERASED' });
    await request(t.http).patch(`/leads/${fresh}`).send({ title: 'Returned' }).expect(200);
  });

  it('leaves no plaintext of the erased person in any file once the service has stopped; the person kept is still there', async () => {
    await t.close();
    expect(filesContaining(t.dataDir, ZERLINA_PLAINTEXT)).toEqual([]);
    expect(filesContaining(t.dataDir, [KEPT.email]).some((hit) => hit.startsWith('read-models.sqlite'))).toBe(true);
    t = await startTestApp({ dataDir: t.dataDir }); // afterAll closes it again
    const kept = await request(t.http).get(`/leads/${keptId}`).expect(200);
    expect(kept.body.email).toBe(KEPT.email);
  });
});
