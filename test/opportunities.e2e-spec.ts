import request from 'supertest';
import { headPosition } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';

describe('Opportunities over HTTP', () => {
  let t: TestApp;
  let accountId: string;
  beforeAll(async () => {
    t = await startTestApp();
    accountId = (await request(t.http).post('/accounts').send({ name: 'Initech' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  const create = (body: Record<string, unknown> = {}) =>
    request(t.http).post('/opportunities').send({ accountId, name: 'TPS reports', closeDate: '2027-04-30', amount: 120_000_00, currency: 'USD', ...body });

  it('moves through stages: probability resets to the stage default, can be overridden, and weights the amount', async () => {
    const created = await create().expect(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ stage: 'Prospecting', probability: 10, forecastCategory: 'Pipeline', expectedRevenue: 12_000_00, isClosed: false });

    await request(t.http).post(`/opportunities/${id}/stage`).send({ stage: 'Value Proposition' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ stage: 'Value Proposition', probability: 50, expectedRevenue: 60_000_00 }));
    await request(t.http).post(`/opportunities/${id}/probability`).send({ probability: 65 }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ probability: 65, expectedRevenue: 78_000_00 }));
    await request(t.http).post(`/opportunities/${id}/stage`).send({ stage: 'Negotiation/Review' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ probability: 90 })); // the override does not survive a stage change
    await request(t.http).post(`/opportunities/${id}/amount`).send({ amount: 99_999, currency: 'EUR' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ amount: 99_999, currency: 'EUR', expectedRevenue: 89_999 }));
    await request(t.http).post(`/opportunities/${id}/close-date`).send({ closeDate: '2027-05-15' }).expect(200)
      .expect((r) => expect(r.body.closeDate).toBe('2027-05-15'));
    await request(t.http).post(`/opportunities/${id}/close-won`).send({}).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ stage: 'Closed Won', probability: 100, isClosed: true, isWon: true, forecastCategory: 'Closed' }));
  });

  it('closes lost with a reason, refuses changes while closed, and reopens as a recorded act', async () => {
    const id = (await create().expect(201)).body.id;
    await request(t.http).post(`/opportunities/${id}/stage`).send({ stage: 'Needs Analysis' }).expect(200);
    await request(t.http).post(`/opportunities/${id}/close-lost`).send({}).expect(400)
      .expect((r) => expect(r.body.issues[0]).toMatchObject({ field: 'reason', reason: 'is required' }));
    await request(t.http).post(`/opportunities/${id}/stage`).send({ stage: 'Closed Lost' }).expect(400)
      .expect((r) => expect(r.body.issues[0].field).toBe('lossReason'));
    await request(t.http).post(`/opportunities/${id}/close-lost`).send({ reason: 'went with a competitor' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ stage: 'Closed Lost', probability: 0, isClosed: true, isWon: false, lossReason: 'went with a competitor' }));

    await request(t.http).post(`/opportunities/${id}/stage`).send({ stage: 'Prospecting' }).expect(409)
      .expect((r) => expect(r.body.error).toBe('OPPORTUNITY_CLOSED'));
    await request(t.http).post(`/opportunities/${id}/amount`).send({ amount: 1, currency: 'USD' }).expect(409);

    await request(t.http).post(`/opportunities/${id}/reopen`).send({ reason: 'competitor failed' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ stage: 'Needs Analysis', probability: 20, isClosed: false, lossReason: null }));
    await request(t.http).post(`/opportunities/${id}/reopen`).send({}).expect(409)
      .expect((r) => expect(r.body.error).toBe('OPPORTUNITY_NOT_CLOSED'));
  });

  describe('bad input gets 400 naming the field, and writes nothing', () => {
    it.each([
      ['an unknown stage', { stage: 'Dreaming' }, 'stage'],
      ['a negative amount', { amount: -5 }, 'amount'],
      ['a fractional amount', { amount: 10.5 }, 'amount'],
      ['an unknown currency', { currency: 'XYZ' }, 'currency'],
      ['an amount without a currency', { currency: undefined }, 'currency'],
      ['a malformed close date', { closeDate: '31/04/2027' }, 'closeDate'],
      ['an impossible close date', { closeDate: '2027-02-30' }, 'closeDate'],
      ['a missing name', { name: undefined }, 'name'],
      ['a malformed account id', { accountId: 'acme' }, 'accountId'],
    ])('%s', async (_, override, field) => {
      const head = await headPosition(t);
      const res = await create(override).expect(400);
      expect(res.body.issues.map((i: { field: string }) => i.field)).toContain(field);
      expect(await headPosition(t)).toBe(head);
    });

    it('a probability outside 0..100', async () => {
      const id = (await create().expect(201)).body.id;
      await request(t.http).post(`/opportunities/${id}/probability`).send({ probability: 101 }).expect(400)
        .expect((r) => expect(r.body.issues[0].field).toBe('probability'));
    });
  });

  it('answers 404 for an unknown account on create and for an unknown opportunity', async () => {
    await create({ accountId: '0d7c0a51-7a35-4a0e-8f36-0f5b1f0c6d7e' }).expect(404)
      .expect((r) => expect(r.body.error).toBe('ACCOUNT_NOT_FOUND'));
    await request(t.http).get('/opportunities/0d7c0a51-7a35-4a0e-8f36-0f5b1f0c6d7e').expect(404);
    await request(t.http).post('/opportunities/0d7c0a51-7a35-4a0e-8f36-0f5b1f0c6d7e/close-won').send({}).expect(404);
  });
});
