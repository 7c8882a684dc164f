import request from 'supertest';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { CrashingEventStore } from './support/crashing-event-store';
import { adaLead, createLead } from './support/fixtures';
import { eventually } from './support/eventually';
import { TestApp, removeDir, startTestApp } from './support/test-app';

async function streamTypes(t: TestApp, streamId: string): Promise<string[]> {
  const store = t.app.get<EventStore>(EVENT_STORE as unknown as string);
  return (await store.readStream(streamId)).map((e) => e.type);
}

/**
 * Conversion writes the lead, then the account, contact and opportunity streams, and the store cannot write them
 * atomically. These tests stop the process between those writes and check that the conversion is completed on
 * restart or on retry, exactly once.
 */
describe('Conversion survives a crash between its writes', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it.each([
    ['after the lead is converted, before the account', (s: string) => s.startsWith('account-')],
    ['after the account, before the contact', (s: string) => s.startsWith('contact-')],
    ['after the contact, before the opportunity', (s: string) => s.startsWith('opportunity-')],
  ])('completes on restart when stopped %s', async (_, crashesBefore) => {
    let crashing!: CrashingEventStore;
    const first = await startTestApp({ wrapStore: (s) => (crashing = new CrashingEventStore(s, crashesBefore)) });
    dirs.push(first.dataDir);
    const id = await createLead(first);
    const res = await request(first.http).post(`/leads/${id}/convert`).send({ opportunity: { closeDate: '2027-01-31', amount: 5000, currency: 'USD' } });
    expect(res.status).toBe(500);
    expect(crashing.failedAppends).toBeGreaterThan(0);
    const lead = await request(first.http).get(`/leads/${id}`).expect(200);
    expect(lead.body.status).toBe('Closed - Converted'); // the commit point was passed
    const { accountId, contactId, opportunityId } = lead.body.conversion;
    await first.close(); // the process "dies"

    const second = await startTestApp({ dataDir: first.dataDir });
    try {
      await eventually(async () => {
        await request(second.http).get(`/opportunities/${opportunityId}`).expect(200);
      });
      await request(second.http).get(`/accounts/${accountId}`).expect(200);
      await request(second.http).get(`/contacts/${contactId}`).expect(200)
        .expect((r) => expect(r.body).toMatchObject({ accountId, lastName: 'Lovelace' }));
      // Exactly once: each stream holds its one creation event.
      expect(await streamTypes(second, `account-${accountId}`)).toEqual(['AccountCreated']);
      expect(await streamTypes(second, `contact-${contactId}`)).toEqual(['ContactCreated']);
      expect(await streamTypes(second, `opportunity-${opportunityId}`)).toEqual(['OpportunityCreated']);
    } finally {
      await second.close();
    }
  });

  it('completes when the client retries with its Idempotency-Key, and answers with the first result', async () => {
    let crashing!: CrashingEventStore;
    const t = await startTestApp({ wrapStore: (s) => (crashing = new CrashingEventStore(s, (id) => id.startsWith('account-'))) });
    dirs.push(t.dataDir);
    try {
      const id = await createLead(t, adaLead);
      const body = { opportunity: { closeDate: '2027-01-31' } };
      await request(t.http).post(`/leads/${id}/convert`).set('Idempotency-Key', 'retry-me').send(body).expect(500);
      crashing.crashing = false; // the fault passes
      const retry = await request(t.http).post(`/leads/${id}/convert`).set('Idempotency-Key', 'retry-me').send(body).expect(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      await request(t.http).get(`/accounts/${retry.body.accountId}`).expect(200);
      await request(t.http).get(`/opportunities/${retry.body.opportunityId}`).expect(200);
      expect(await streamTypes(t, `account-${retry.body.accountId}`)).toEqual(['AccountCreated']);
    } finally {
      await t.close();
    }
  });

  it('completes in the same process once the store recovers, without a restart or a retry', async () => {
    let crashing!: CrashingEventStore;
    const t = await startTestApp({ wrapStore: (s) => (crashing = new CrashingEventStore(s, (id) => id.startsWith('contact-'))) });
    dirs.push(t.dataDir);
    try {
      const id = await createLead(t);
      await request(t.http).post(`/leads/${id}/convert`).send({ doNotCreateOpportunity: true }).expect(500);
      const { contactId } = (await request(t.http).get(`/leads/${id}`).expect(200)).body.conversion;
      crashing.crashing = false;
      await eventually(async () => {
        await request(t.http).get(`/contacts/${contactId}`).expect(200);
      }, 10_000);
    } finally {
      await t.close();
    }
  });

  it('moves its checkpoint past the events it skips, so a restart does not scan them again', async () => {
    const t = await startTestApp();
    dirs.push(t.dataDir);
    try {
      for (let i = 0; i < 3; i++) await createLead(t); // no conversion among them
      const health = async () => (await request(t.http).get('/health').expect(200)).body as { eventStore: { headPosition: string }; conversionCompleter: { position: string | null } };
      await eventually(async () => {
        const now = await health();
        expect(now.conversionCompleter.position).toBe(now.eventStore.headPosition);
      });
    } finally {
      await t.close();
    }
  });
});
