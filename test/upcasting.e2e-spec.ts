import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { EVENT_STORE, EventStore, SqliteEventStore, chainHead, chainNewEvents } from '@pipeline-ledger/event-store';
import { toFeedMessage } from '../apps/api/src/feed/feed-message';
import { adaLead, createLead } from './support/fixtures';
import { eventually } from './support/eventually';
import { TestApp, removeDir, startTestApp } from './support/test-app';

/**
 * A LeadDisqualified of schema version 1 (words only), written into the event store as a version of the service from
 * before version 2 wrote it (through the store, chained into the stream's hashes), then read by today's service:
 * every reader sees it as version 2 (reasonCode "other", the words kept), while the store and the history keep it as
 * it was recorded.
 */
describe('a stored event of an older schema version (LeadDisqualified v1)', () => {
  const owner = `upcast-${randomUUID().slice(0, 8)}`;
  const words = 'No budget until next fiscal year';
  let t: TestApp;
  let leadId: string;
  let stored: Record<string, unknown>;

  beforeAll(async () => {
    const before = await startTestApp();
    leadId = await createLead(before, { ...adaLead, owner, company: `Engines of ${owner}` });
    await request(before.http).post(`/leads/${leadId}/contacts`).send({ channel: 'call' }).expect(200);
    await before.close();

    // The older service's write: version 1 data, appended to the stream with its hash chained like any other.
    const store = new SqliteEventStore({ filename: join(before.dataDir, 'events.sqlite') });
    const streamId = `lead-${leadId}`;
    const events = await store.readStream(streamId);
    const at = new Date(Date.now() - 60_000).toISOString();
    stored = { leadId, reason: words, disqualifiedAt: at, status: 'Closed - Not Converted' };
    const v1 = { eventId: randomUUID(), type: 'LeadDisqualified', schemaVersion: 1, data: stored, metadata: { actor: owner, correlationId: randomUUID(), causationId: null, occurredAt: at } };
    await store.appendToStream(streamId, chainNewEvents(streamId, events.length, chainHead(events), [v1]), { expectedRevision: events.length - 1 });
    await store.close();

    t = await startTestApp({ dataDir: before.dataDir });
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('GET /leads/:id shows it as version 2: reason code "other", the words as the reason', async () => {
    const lead = await request(t.http).get(`/leads/${leadId}`).expect(200);
    expect(lead.body).toMatchObject({ status: 'Closed - Not Converted', disqualificationReasonCode: 'other', disqualificationReason: words, revision: 2 });
  });

  it('the history folds it as version 2 and shows it as recorded (version 1); its hash chain still verifies', async () => {
    const history = await request(t.http).get(`/leads/${leadId}/history`).expect(200);
    const entry = history.body.entries[2];
    expect(entry).toMatchObject({ type: 'LeadDisqualified', schemaVersion: 1, data: stored });
    expect(entry.changes).toEqual(expect.arrayContaining([{ field: 'disqualificationReasonCode', from: null, to: 'other' }, { field: 'disqualificationReason', from: null, to: words }]));
    expect(history.body.state).toEqual((await request(t.http).get(`/leads/${leadId}`).expect(200)).body);
    await request(t.http).get(`/leads/${leadId}/verify`).expect(200).expect((r) => expect(r.body).toMatchObject({ ok: true, verified: 3 }));
  });

  it('the read models that use disqualification see it, live and after a rebuild', async () => {
    const seen = async () => {
      const list = await request(t.http).get('/leads').query({ owner }).expect(200);
      expect(list.body.items).toEqual([expect.objectContaining({ id: leadId, status: 'Closed - Not Converted', disqualificationReasonCode: 'other', disqualificationReason: words })]);
      const conversion = await request(t.http).get('/analytics/conversion').query({ owner }).expect(200);
      expect(conversion.body.total.counts).toMatchObject({ created: 1, contacted: 1, disqualified: 1 });
      const projections = (await request(t.http).get('/projections').expect(200)).body.projections as { name: string; status: string; failure: unknown }[];
      expect(projections.filter((p) => p.status !== 'running' || p.failure)).toEqual([]);
    };
    await eventually(seen);

    const generations = async () => Object.fromEntries(((await request(t.http).get('/projections')).body.projections as { name: string; active: { generation: number }; rebuilding: unknown }[]).map((p) => [p.name, p]));
    const before = await generations();
    await request(t.http).post('/projections/rebuild').send({ projections: ['leads-list', 'lead-conversion'] }).expect(202);
    await eventually(async () => {
      const now = await generations();
      for (const name of ['leads-list', 'lead-conversion']) {
        expect(now[name].rebuilding).toBeNull();
        expect(now[name].active.generation).toBeGreaterThan(before[name].active.generation);
      }
    });
    await seen();
  });

  it('subscribers get it as version 2, over the SSE feed and in webhook deliveries alike', async () => {
    const expected = { type: 'LeadDisqualified', schemaVersion: 2, data: { leadId, reasonCode: 'other', reason: words, disqualifiedAt: stored.disqualifiedAt, status: 'Closed - Not Converted' } };
    // The feed: read the lead's stream from the start and stop at its third event.
    const sse = await request(t.http).get('/events').query({ streams: `lead-${leadId}` }).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if ((text.match(/^data: /gm) ?? []).length >= 3) (res as unknown as { destroy(): void }).destroy();
      });
      res.on('close', () => done(null, text));
    });
    const messages = (sse.body as string).split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
    expect(messages[2]).toMatchObject(expected);
    // Webhooks build their body with the same toFeedMessage.
    expect(toFeedMessage((await (t.app.get(EVENT_STORE) as EventStore).readStream(`lead-${leadId}`))[2]!)).toMatchObject(expected);
  });

  it('a later command decides on the version 2 state: a contact is refused naming the reason, a reopen goes through', async () => {
    await request(t.http).post(`/leads/${leadId}/contacts`).send({ channel: 'email' }).expect(409)
      .expect((r) => expect(r.body).toMatchObject({ error: 'LEAD_DISQUALIFIED', message: expect.stringContaining(`(other: ${words})`) }));
    await request(t.http).post(`/leads/${leadId}/reopen`).send({ reason: 'Budget approved' }).expect(200)
      .expect((r) => expect(r.body).toMatchObject({ status: 'Working - Contacted', disqualificationReasonCode: null, disqualificationReason: null, revision: 3 }));
    await eventually(async () => {
      const conversion = await request(t.http).get('/analytics/conversion').query({ owner }).expect(200);
      expect(conversion.body.total.counts).toMatchObject({ created: 1, disqualified: 0 });
    });
  });
});
