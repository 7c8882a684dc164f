import request from 'supertest';
import { EVENT_STORE, EventStore, StoredEvent } from '@pipeline-ledger/event-store';
import { bearer } from './support/auth';
import { adaLead, createLead, headPosition } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';

async function allEvents(t: TestApp): Promise<StoredEvent[]> {
  const store = t.app.get<EventStore>(EVENT_STORE as unknown as string);
  return store.readAll({ maxCount: 100_000 });
}

describe('Concurrency and idempotency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  describe('optimistic concurrency with If-Match / ETag', () => {
    it('accepts the current revision and refuses a stale one with 409, writing nothing', async () => {
      const id = await createLead(t);
      const read = await request(t.http).get(`/leads/${id}`).expect(200);
      expect(read.headers.etag).toBe('"0"');

      await request(t.http).post(`/leads/${id}/contacts`).set('If-Match', read.headers.etag).send({ channel: 'call' }).expect(200)
        .expect((r) => expect(r.headers.etag).toBe('"1"'));
      const head = await headPosition(t);
      const stale = await request(t.http).post(`/leads/${id}/owner`).set('If-Match', '"0"').send({ owner: 'mallory' }).expect(409);
      expect(stale.body).toMatchObject({ error: 'CONCURRENCY_CONFLICT' });
      expect(stale.body.message).toMatch(/revision 1/);
      expect(await headPosition(t)).toBe(head);
    });

    it('refuses a malformed If-Match with 400', async () => {
      const id = await createLead(t);
      await request(t.http).post(`/leads/${id}/contacts`).set('If-Match', 'yesterday').send({ channel: 'call' }).expect(400)
        .expect((r) => expect(r.body.issues[0].field).toBe('If-Match'));
    });

    it('lets exactly one of many concurrent conversions of one lead succeed; the rest get 409 and nothing is duplicated', async () => {
      const id = await createLead(t);
      const responses = await Promise.all(
        Array.from({ length: 12 }, () => request(t.http).post(`/leads/${id}/convert`).send({ opportunity: { closeDate: '2027-01-31' } })),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(11);
      expect(responses.filter((r) => r.status === 409).every((r) => r.body.error === 'LEAD_CONVERTED')).toBe(true);

      const events = await allEvents(t);
      const forLead = (type: string) => events.filter((e) => e.type === type && (e.data as { leadId?: string }).leadId === id);
      expect(forLead('LeadConverted')).toHaveLength(1);
      expect(forLead('AccountCreated')).toHaveLength(1);
      expect(forLead('ContactCreated')).toHaveLength(1);
      expect(forLead('OpportunityCreated')).toHaveLength(1);
    });

    it('never lets two conflicting commands both succeed: a disqualify racing a conversion', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await createLead(t);
        const [convert, disqualify] = await Promise.all([
          request(t.http).post(`/leads/${id}/convert`).send({ doNotCreateOpportunity: true }),
          request(t.http).post(`/leads/${id}/disqualify`).send({ reason: 'duplicate' }),
        ]);
        const lead = await request(t.http).get(`/leads/${id}`).expect(200);
        // Whichever came second was decided on the first one's outcome and refused.
        expect([convert.status, disqualify.status].sort()).toEqual([200, 409]);
        expect(lead.body.status).toBe(convert.status === 200 ? 'Closed - Converted' : 'Closed - Not Converted');
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the first result for the same key and body, and writes nothing the second time', async () => {
      const first = await request(t.http).post('/leads').set('Idempotency-Key', 'form-42').send(adaLead).expect(201);
      const head = await headPosition(t);
      const again = await request(t.http).post('/leads').set('Idempotency-Key', 'form-42').send({ ...adaLead }).expect(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await headPosition(t)).toBe(head);
    });

    it('refuses the same key with a different body with 409, writing nothing', async () => {
      await request(t.http).post('/leads').set('Idempotency-Key', 'form-43').send(adaLead).expect(201);
      const head = await headPosition(t);
      const res = await request(t.http).post('/leads').set('Idempotency-Key', 'form-43').send({ ...adaLead, lastName: 'Byron' }).expect(409);
      expect(res.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await headPosition(t)).toBe(head);
    });

    it('creates once when the same request is sent many times at once', async () => {
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => request(t.http).post('/leads').set('Idempotency-Key', 'burst-1').send(adaLead)),
      );
      expect(responses.every((r) => r.status === 201)).toBe(true);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      const created = (await allEvents(t)).filter((e) => e.type === 'LeadCreated' && e.data['leadId'] === responses[0].body.id);
      expect(created).toHaveLength(1);
    });

    it('makes a retried conversion answer with the first result instead of 409', async () => {
      const id = await createLead(t);
      const body = { opportunity: { closeDate: '2027-02-28', amount: 99_00, currency: 'USD' } };
      const first = await request(t.http).post(`/leads/${id}/convert`).set('Idempotency-Key', 'conv-1').send(body).expect(200);
      const again = await request(t.http).post(`/leads/${id}/convert`).set('Idempotency-Key', 'conv-1').send(body).expect(200);
      expect(again.body).toEqual(first.body);
      await request(t.http).post(`/leads/${id}/convert`).send(body).expect(409);
    });

    it('keys are per actor: another actor with the same key creates its own lead', async () => {
      const a = await request(t.http).post('/leads').set('Idempotency-Key', 'shared').set('Authorization', await bearer(['integration'], { sub: 'form-a' })).send(adaLead).expect(201);
      const b = await request(t.http).post('/leads').set('Idempotency-Key', 'shared').set('Authorization', await bearer(['integration'], { sub: 'form-b' })).send(adaLead).expect(201);
      expect(a.body.id).not.toBe(b.body.id);
    });
  });
});
