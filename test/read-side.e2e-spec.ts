import request from 'supertest';
import { adaLead } from './support/fixtures';
import { eventually } from './support/eventually';
import { TestApp, removeDir, startTestApp } from './support/test-app';

/** An analyst's view over HTTP: answers that are exactly what the commands did, computed here by hand. */
describe('Analytics and lists over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const lead = (body: object) => request(t.http).post('/leads').send({ ...adaLead, ...body }).expect(201).then((r) => r.body.id as string);
    const web1 = await lead({ lastName: 'Webb', source: 'Web Form', owner: 'alice' });
    const web2 = await lead({ lastName: 'Weber', source: 'Web Form', owner: 'alice', email: 'weber@example.org' });
    await lead({ lastName: 'Reed', source: 'Referral', owner: 'bob' });
    const partner = await lead({ lastName: 'Parks', source: 'Partner', owner: 'bob' });

    // web1: converted with a USD 1,000.00 opportunity, moved to Value Proposition (50%).
    const c1 = await request(t.http).post(`/leads/${web1}/convert`).send({ opportunity: { closeDate: '2027-01-15', amount: 100_000, currency: 'USD' } }).expect(200);
    await request(t.http).post(`/opportunities/${c1.body.opportunityId}/stage`).send({ stage: 'Value Proposition' }).expect(200);
    // web2: converted without an opportunity.
    await request(t.http).post(`/leads/${web2}/convert`).send({ doNotCreateOpportunity: true }).expect(200);
    // partner: converted with a EUR 500.00 opportunity that is lost, then one more that is won.
    const c3 = await request(t.http).post(`/leads/${partner}/convert`).send({ opportunity: { closeDate: '2027-02-01', amount: 50_000, currency: 'EUR' } }).expect(200);
    await request(t.http).post(`/opportunities/${c3.body.opportunityId}/close-lost`).send({ reason: 'budget' }).expect(200);
    const won = await request(t.http)
      .post('/opportunities')
      .send({ accountId: c3.body.accountId, name: 'Upsell', closeDate: '2027-03-01', amount: 20_000, currency: 'EUR', owner: 'bob', source: 'Partner' })
      .expect(201);
    await request(t.http).post(`/opportunities/${won.body.id}/close-won`).send({}).expect(200);
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('answers pipeline by stage, with weighted amounts and closed totals, and says how fresh it is', async () => {
    await eventually(async () => {
      const res = await request(t.http).get('/analytics/pipeline').expect(200);
      const stage = (name: string) => res.body.stages.find((s: { stage: string }) => s.stage === name);
      expect(stage('Value Proposition').byCurrency).toEqual([expect.objectContaining({ currency: 'USD', count: 1, amount: 100_000, weightedAmount: 50_000 })]);
      expect(stage('Prospecting').count).toBe(0);
      expect(res.body.closedLost.byCurrency).toEqual([expect.objectContaining({ currency: 'EUR', count: 1, amount: 50_000 })]);
      expect(res.body.closedWon.byCurrency).toEqual([expect.objectContaining({ currency: 'EUR', count: 1, amount: 20_000 })]);
      expect(res.body.freshness).toMatchObject({ projection: 'pipeline-by-stage', lag: '0', status: 'running' });
    });
    const bobs = await request(t.http).get('/analytics/pipeline?owner=bob').expect(200);
    expect(bobs.body.open.count).toBe(0);
  });

  it('answers conversion rates by source on the cohort basis', async () => {
    await eventually(async () => {
      const res = await request(t.http).get('/analytics/conversion?groupBy=source').expect(200);
      expect(res.body.basis).toBe('cohort');
      const group = (source: string) => res.body.groups.find((g: { group: { source: string } }) => g.group.source === source);
      expect(group('Web Form').counts).toMatchObject({ created: 2, converted: 2, convertedWithOpportunity: 1 });
      expect(group('Web Form').rates).toMatchObject({ leadToContact: 1, leadToOpportunity: 0.5 });
      expect(group('Referral').counts).toMatchObject({ created: 1, converted: 0 });
      expect(res.body.total.counts).toMatchObject({ created: 4, converted: 3, convertedWithOpportunity: 2 });
    });
  });

  it('answers win rate by owner', async () => {
    await eventually(async () => {
      const res = await request(t.http).get('/analytics/win-rate?groupBy=owner').expect(200);
      const bob = res.body.groups.find((g: { group: { owner: string } }) => g.group.owner === 'bob');
      expect(bob).toMatchObject({ won: 1, lost: 1, closed: 2, winRate: 0.5 });
    });
  });

  it('lists and searches leads and opportunities', async () => {
    await eventually(async () => {
      const found = await request(t.http).get('/leads?q=WEBER').expect(200);
      expect(found.body.items.map((l: { lastName: string }) => l.lastName)).toEqual(['Weber']);
      const bobs = await request(t.http).get('/leads?owner=bob&sort=lastName').expect(200);
      expect(bobs.body.items.map((l: { lastName: string }) => l.lastName)).toEqual(['Parks', 'Reed']);
      expect(bobs.body).toMatchObject({ total: 2, page: 1 });
      const open = await request(t.http).get('/opportunities?status=open').expect(200);
      expect(open.body.items).toHaveLength(1);
      expect(open.body.items[0]).toMatchObject({ stage: 'Value Proposition', amount: 100_000 });
    });
  });

  it('refuses bad parameters with 400 naming them', async () => {
    const res = await request(t.http).get('/analytics/conversion?groupBy=stage&from=2026-05-01&to=2026-04-01').expect(400);
    const fields = res.body.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['groupBy', 'from']));
    await request(t.http).get('/analytics/pipeline?closeFrom=yesterday').expect(400)
      .expect((r) => expect(r.body.issues[0].field).toBe('closeFrom'));
    await request(t.http).get('/leads?pageSize=100000').expect(400);
  });

  it('reports every projection on GET /projections and rebuilds on request while answering', async () => {
    const before = await request(t.http).get('/projections').expect(200);
    expect(before.body.projections.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['leads-list', 'opportunities-list', 'pipeline-by-stage', 'lead-conversion', 'win-rate']),
    );
    await request(t.http).post('/projections/rebuild').send({ projections: ['pipeline-by-stage'] }).expect(202);
    await request(t.http).post('/projections/rebuild').send({ projections: ['nope'] }).expect(400);
    await eventually(async () => {
      const now = await request(t.http).get('/projections').expect(200);
      const pipeline = now.body.projections.find((p: { name: string }) => p.name === 'pipeline-by-stage');
      expect(pipeline.active.generation).toBeGreaterThan(1);
      expect(pipeline.rebuilding).toBeNull();
    });
    const res = await request(t.http).get('/analytics/pipeline').expect(200);
    expect(res.body.closedWon.byCurrency).toEqual([expect.objectContaining({ currency: 'EUR', amount: 20_000 })]);
  });
});
