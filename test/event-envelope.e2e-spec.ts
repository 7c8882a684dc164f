import request from 'supertest';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { bearer } from './support/auth';
import { adaLead } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';

/** What downstream services and auditors rely on: every stored event's envelope, as a conversion writes it. */
describe('The event envelope', () => {
  let t: TestApp;
  let store: EventStore;
  beforeAll(async () => {
    t = await startTestApp();
    store = t.app.get<EventStore>(EVENT_STORE as unknown as string);
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('carries id, stream, revision, position, type, schema version, and who/why/when, across every stream a conversion writes', async () => {
    const lead = await request(t.http).post('/leads').set('Authorization', await bearer(['sales'], { sub: 'alice' })).send(adaLead).expect(201);
    const before = await store.headPosition();
    const conv = await request(t.http)
      .post(`/leads/${lead.body.id}/convert`)
      .set('Authorization', await bearer(['manager'], { sub: 'bob' }))
      .set('X-Actor', 'mallory') // ignored: the actor is who authenticated
      .set('X-Correlation-Id', 'convert-ada')
      .set('X-Occurred-At', '2026-10-01T12:00:00Z')
      .send({ opportunity: { closeDate: '2027-01-31', amount: 100, currency: 'USD' } })
      .expect(200);

    const written = await store.readAll({ after: before });
    expect(written.map((e) => [e.streamId, e.type])).toEqual([
      [`lead-${lead.body.id}`, 'LeadConverted'],
      [`account-${conv.body.accountId}`, 'AccountCreated'],
      [`contact-${conv.body.contactId}`, 'ContactCreated'],
      [`opportunity-${conv.body.opportunityId}`, 'OpportunityCreated'],
    ]);
    const [converted, ...followUps] = written;
    for (const e of written) {
      expect(e.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(e.schemaVersion).toBe(1);
      expect(e.position > (before ?? -1n)).toBe(true);
      expect(e.metadata).toMatchObject({ actor: 'user:bob', correlationId: 'convert-ada', occurredAt: '2026-10-01T12:00:00.000Z' });
      expect(Date.parse(e.metadata.recordedAt)).toBeGreaterThan(Date.parse('2026-10-01T12:00:00Z')); // recorded now, occurred then
    }
    expect(converted.revision).toBe(1); // after LeadCreated
    expect(followUps.map((e) => e.revision)).toEqual([0, 0, 0]);
    // The follow-ups were caused by the LeadConverted event; LeadConverted by the request's command.
    expect(followUps.every((e) => e.metadata.causationId === converted.eventId)).toBe(true);
    expect(converted.metadata.causationId).toEqual(expect.any(String));
    expect(converted.metadata.causationId).not.toBe(converted.eventId);
    // Lead source carries over.
    expect(followUps.map((e) => e.data['source'])).toEqual(['Web Form', 'Web Form', 'Web Form']);
  });
});
