import request from 'supertest';
import { EVENT_STORE, EventStore, StoredEvent } from '@pipeline-ledger/event-store';
import { FeedFilter, toFeedMessage } from '../apps/api/src/feed/feed-message';
import { WebhookDispatcher } from '../apps/api/src/webhooks/webhook-dispatcher.service';
import { verifyWebhookSignature } from '../apps/api/src/webhooks/webhook-signature';
import { eventually } from './support/eventually';
import { adaLead, createLead } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';
import { ReceivedRequest, WebhookReceiver } from './support/webhook-receiver';

/** Quick retries, so that failing and pausing take milliseconds: 10, 20, 40 ms (with jitter), paused at the 4th failure. */
const env = { WEBHOOK_RETRY_BASE_MS: '10', WEBHOOK_RETRY_MAX_MS: '40', WEBHOOK_MAX_ATTEMPTS: '4', WEBHOOK_TIMEOUT_MS: '2000' };

interface Created {
  id: string;
  secret: string;
  position: string | null;
  filter: FeedFilter;
}

async function subscribe(t: TestApp, body: Record<string, unknown>): Promise<Created> {
  return (await request(t.http).post('/webhooks').send(body).expect(201)).body as Created;
}

async function webhook(t: TestApp, id: string) {
  return (await request(t.http).get(`/webhooks/${id}`).expect(200)).body;
}

/** The oracle: every stored event a subscription should deliver, straight from the store, in position order. */
async function matching(t: TestApp, subscription: Created): Promise<StoredEvent[]> {
  const all = await t.app.get<EventStore>(EVENT_STORE).readAll({ maxCount: 100_000 });
  const after = subscription.position === null ? -1n : BigInt(subscription.position);
  return all.filter((e) => e.position > after && matchesFeedFilter(subscription.filter, e));
}

/** The test's own statement of the filter rule (the store applies it in SQL). */
function matchesFeedFilter(filter: FeedFilter, event: Pick<StoredEvent, 'type' | 'streamId'>): boolean {
  if (filter.eventTypes && !(filter.eventTypes as readonly string[]).includes(event.type)) return false;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) return false;
  return true;
}

const eventIds = (requests: ReceivedRequest[]) => requests.map((r) => r.headers['x-pipeline-event-id']);

async function contactLead(t: TestApp, id: string): Promise<void> {
  await request(t.http).post(`/leads/${id}/contacts`).send({ channel: 'call' }).expect(200);
}

describe('Webhooks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp({ env });
  });
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await receiver.close();
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('registers a subscription: 201 with its secret (only then), listed and read without it; bad bodies 400 naming the field; unknown ids 404', async () => {
    const created = await request(t.http).post('/webhooks').send({ url: receiver.url, eventTypes: ['LeadCreated'], from: 'end' }).expect(201);
    const { id, secret } = created.body;
    expect(created.headers.location).toBe(`/webhooks/${id}`);
    expect(created.body).toMatchObject({ url: receiver.url, filter: { eventTypes: ['LeadCreated'] }, status: 'active', deliveredCount: 0, consecutiveFailures: 0, pausedAt: null });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(typeof created.body.createdAt).toBe('string');

    const { secret: _shownOnce, ...shown } = created.body;
    expect(await webhook(t, id)).toEqual(shown);
    const list = (await request(t.http).get('/webhooks').expect(200)).body.webhooks;
    expect(list.map((w: { id: string }) => w.id)).toContain(id);
    expect(list.every((w: object) => !('secret' in w))).toBe(true);

    const refused = async (body: object, field: string, reason: RegExp) => {
      const res = await request(t.http).post('/webhooks').send(body).expect(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.issues).toEqual(expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]));
    };
    await refused({}, 'url', /required/);
    await refused({ url: 'not a url' }, 'url', /absolute http/);
    await refused({ url: 'ftp://example.com/x' }, 'url', /http/);
    await refused({ url: 'https://user:pw@example.com/x' }, 'url', /password/);
    await refused({ url: `https://example.com/${'x'.repeat(2000)}` }, 'url', /2000/);
    await refused({ url: receiver.url, eventTypes: ['LeadInvented'] }, 'eventTypes.0', /unknown event type/);
    await refused({ url: receiver.url, streamPrefixes: [] }, 'streamPrefixes', /at least one/);
    await refused({ url: receiver.url, from: 'yesterday' }, 'from', /start, end or a global position/);
    await refused({ url: receiver.url, from: '999999999' }, 'from', /past the last event/);
    await refused({ url: receiver.url, secret: 'mine' }, 'body', /secret/i);

    const unknown = '00000000-0000-4000-8000-000000000000';
    await request(t.http).get(`/webhooks/${unknown}`).expect(404).expect((r) => expect(r.body.error).toBe('WEBHOOK_NOT_FOUND'));
    await request(t.http).post(`/webhooks/${unknown}/resume`).expect(404);
    await request(t.http).delete(`/webhooks/${unknown}`).expect(404);
    await request(t.http).get('/webhooks/not-a-uuid').expect(400).expect((r) => expect(r.body.issues[0].field).toBe('id'));

    const doc = (await request(t.http).get('/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/webhooks', '/webhooks/{id}', '/webhooks/{id}/resume']));
    const create = doc.paths['/webhooks'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(['url']);
    expect((create.parameters ?? []).map((p: { name: string }) => p.name)).not.toContain('Idempotency-Key');

    await request(t.http).delete(`/webhooks/${id}`).expect(204);
    await request(t.http).get(`/webhooks/${id}`).expect(404);
  });

  it('delivers exactly the matching events, from the first, in position order, each signed with the secret over the exact body', async () => {
    await request(t.http).post('/accounts').send({ name: 'Not A Lead Ltd' }).expect(201); // another stream: filtered out
    const lead1 = await createLead(t);
    const subscription = await subscribe(t, { url: receiver.url, streamPrefixes: ['lead-'], eventTypes: ['LeadCreated', 'LeadContacted', 'LeadConverted'] });
    expect(subscription.position).toBeNull(); // from: start, the default
    await contactLead(t, lead1);
    const lead2 = await createLead(t, { ...adaLead, lastName: 'Byron' });
    await request(t.http).post(`/leads/${lead2}/qualification`).send({ budget: true, authority: true, need: true, timeline: true }).expect(200); // not a listed type
    await request(t.http).post(`/leads/${lead2}/convert`).send({ opportunity: { closeDate: '2027-03-31' } }).expect(200); // account-, contact-, opportunity- events filtered out
    await contactLead(t, lead1);

    const expected = await matching(t, subscription);
    expect(expected.map((e) => e.type)).toEqual(expect.arrayContaining(['LeadCreated', 'LeadContacted', 'LeadConverted']));
    await eventually(async () => expect(receiver.acknowledged()).toHaveLength(expected.length));

    const received = receiver.requests;
    expect(eventIds(received)).toEqual(expected.map((e) => e.eventId)); // all of them, once each, in order: nothing else
    received.forEach((r, i) => {
      const event = expected[i]!;
      expect(r.body).toBe(JSON.stringify(toFeedMessage(event)));
      expect(r.headers).toMatchObject({
        'content-type': 'application/json',
        'x-pipeline-event-id': event.eventId,
        'x-pipeline-event-type': event.type,
        'x-pipeline-position': event.position.toString(),
        'x-pipeline-subscription': subscription.id,
        'x-pipeline-delivery-attempt': '1',
      });
      expect(r.headers['x-pipeline-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      const signature = r.headers['x-pipeline-signature'] as string;
      expect(verifyWebhookSignature(subscription.secret, r.body, signature)).toBe(true);
      expect(verifyWebhookSignature(subscription.secret, JSON.stringify({ ...JSON.parse(r.body), actor: 'mallory' }), signature)).toBe(false); // tampered
      expect(verifyWebhookSignature(subscription.secret, `${r.body} `, signature)).toBe(false); // one byte more
      expect(verifyWebhookSignature('another-secret', r.body, signature)).toBe(false);
    });

    await eventually(async () =>
      expect(await webhook(t, subscription.id)).toMatchObject({ status: 'active', position: expected.at(-1)!.position.toString(), deliveredCount: expected.length, consecutiveFailures: 0, lastError: null, nextAttemptAt: null }),
    );
    await request(t.http).delete(`/webhooks/${subscription.id}`).expect(204);
  });

  it('retries a delivery the receiver answered 500, with growing delays, and then goes on in order without gaps or skips', async () => {
    receiver.respond = (_, index) => (index < 3 ? 500 : 200);
    const subscription = await subscribe(t, { url: receiver.url, streamPrefixes: ['lead-'], from: 'end' });
    const lead = await createLead(t);
    await contactLead(t, lead);
    await contactLead(t, lead);

    const expected = await matching(t, subscription);
    expect(expected).toHaveLength(3);
    await eventually(async () => expect(receiver.acknowledged()).toHaveLength(expected.length));

    const first = expected[0]!.eventId;
    expect(receiver.requests.slice(0, 4).map((r) => [r.headers['x-pipeline-event-id'], r.headers['x-pipeline-delivery-attempt'], r.status])).toEqual([
      [first, '1', 500],
      [first, '2', 500],
      [first, '3', 500],
      [first, '4', 200],
    ]);
    const gaps = receiver.requests.slice(1, 4).map((r, i) => r.receivedAt - receiver.requests[i]!.receivedAt);
    // At least half of 10, 20, 40 ms (equal jitter), less a little: Node's timers may fire a millisecond early.
    [4, 8, 16].forEach((least, i) => expect(gaps[i]).toBeGreaterThanOrEqual(least));
    expect(eventIds(receiver.acknowledged())).toEqual(expected.map((e) => e.eventId));
    expect(receiver.requests.slice(4).every((r) => r.headers['x-pipeline-delivery-attempt'] === '1')).toBe(true);

    await eventually(async () =>
      expect(await webhook(t, subscription.id)).toMatchObject({
        status: 'active',
        position: expected.at(-1)!.position.toString(),
        deliveredCount: 3,
        consecutiveFailures: 0,
        lastError: 'HTTP 500 Internal Server Error', // kept for the record
      }),
    );
    await request(t.http).delete(`/webhooks/${subscription.id}`).expect(204);
  });

  it('pauses a subscription whose receiver keeps failing, visibly, and resume continues from the event it stopped at', async () => {
    receiver.respond = () => 500;
    const subscription = await subscribe(t, { url: receiver.url, eventTypes: ['LeadCreated', 'LeadContacted'], from: 'end' });
    const lead = await createLead(t);

    await eventually(async () => expect((await webhook(t, subscription.id)).status).toBe('paused'));
    const paused = await webhook(t, subscription.id);
    expect(paused).toMatchObject({ position: subscription.position, deliveredCount: 0, consecutiveFailures: 4, lastError: 'HTTP 500 Internal Server Error', nextAttemptAt: null });
    expect(Date.parse(paused.pausedAt)).not.toBeNaN();
    const stuck = (await matching(t, subscription))[0]!;
    expect(receiver.requests.map((r) => [r.headers['x-pipeline-event-id'], r.headers['x-pipeline-delivery-attempt']])).toEqual(
      ['1', '2', '3', '4'].map((attempt) => [stuck.eventId, attempt]),
    );

    // Paused means paused: past the longest retry delay, with more events coming, nothing is tried.
    await contactLead(t, lead);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.requests).toHaveLength(4);
    expect(t.app.get(WebhookDispatcher).activeLoops()).not.toContain(subscription.id);

    receiver.respond = () => 200;
    const resumed = await request(t.http).post(`/webhooks/${subscription.id}/resume`).expect(200);
    expect(resumed.body).toMatchObject({ status: 'active', pausedAt: null, consecutiveFailures: 0, position: subscription.position });

    const expected = await matching(t, subscription);
    expect(expected).toHaveLength(2);
    await eventually(async () => expect(receiver.acknowledged()).toHaveLength(2));
    expect(eventIds(receiver.requests.slice(4))).toEqual(expected.map((e) => e.eventId)); // the stuck one first, then on
    expect(receiver.requests[4]!.headers['x-pipeline-delivery-attempt']).toBe('1');
    await eventually(async () => expect(await webhook(t, subscription.id)).toMatchObject({ status: 'active', position: expected[1]!.position.toString(), deliveredCount: 2 }));
    await request(t.http).delete(`/webhooks/${subscription.id}`).expect(204);
  });

  it('stops delivering to a deleted subscription', async () => {
    const subscription = await subscribe(t, { url: receiver.url, from: 'end' });
    const dispatcher = t.app.get(WebhookDispatcher);
    expect(dispatcher.activeLoops()).toContain(subscription.id);
    const delivering = async () => (await request(t.http).get('/health').expect(200)).body.webhooks as { delivering: boolean; subscriptions: number };
    const before = await delivering();
    expect(before).toEqual({ delivering: true, subscriptions: dispatcher.activeLoops().length });
    await request(t.http).delete(`/webhooks/${subscription.id}`).expect(204);
    await eventually(async () => expect(dispatcher.activeLoops()).not.toContain(subscription.id));
    expect(await delivering()).toEqual({ delivering: true, subscriptions: before.subscriptions - 1 });
    await createLead(t);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('Webhooks across a restart', () => {
  let receiver: WebhookReceiver;
  let dataDir: string | undefined;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    if (dataDir) removeDir(dataDir);
  });

  it('continues from the last acknowledged position: the delivery cut short is made again (same event id), then the rest, no gaps, no duplicates', async () => {
    let t = await startTestApp({ env });
    dataDir = t.dataDir;
    const subscription = await subscribe(t, { url: receiver.url, streamPrefixes: ['lead-'] });
    const lead = await createLead(t);
    await contactLead(t, lead);
    await eventually(async () => expect(receiver.acknowledged()).toHaveLength(2));

    // The receiver takes the next event but never answers: the service stops with that delivery unacknowledged.
    receiver.respond = () => new Promise<number>(() => undefined);
    await contactLead(t, lead);
    await eventually(async () => expect(receiver.requests).toHaveLength(3));
    const cutShort = receiver.requests[2]!.headers['x-pipeline-event-id'];
    await t.close();

    receiver.respond = () => 200;
    t = await startTestApp({ dataDir, env });
    try {
      await contactLead(t, lead);
      await createLead(t, { ...adaLead, lastName: 'Somerville' });
      const expected = await matching(t, subscription);
      expect(expected).toHaveLength(5);
      await eventually(async () => expect(receiver.acknowledged()).toHaveLength(5));

      expect(eventIds(receiver.acknowledged())).toEqual(expected.map((e) => e.eventId));
      expect(eventIds(receiver.requests)).toEqual([...expected.slice(0, 3), ...expected.slice(2)].map((e) => e.eventId));
      expect(receiver.requests[3]!.headers['x-pipeline-event-id']).toBe(cutShort);
      await eventually(async () =>
        expect(await webhook(t, subscription.id)).toMatchObject({ status: 'active', position: expected[4]!.position.toString(), deliveredCount: 5, consecutiveFailures: 0 }),
      );
    } finally {
      await t.close();
    }
  });

  it('with WEBHOOKS=off serves the subscriptions but delivers nothing (another replica does)', async () => {
    const t = await startTestApp({ env: { ...env, WEBHOOKS: 'off' } });
    try {
      const subscription = await subscribe(t, { url: receiver.url, from: 'start' });
      await createLead(t);
      expect(t.app.get(WebhookDispatcher).activeLoops()).toEqual([]);
      expect(await webhook(t, subscription.id)).toMatchObject({ status: 'active', deliveredCount: 0 });
      expect((await request(t.http).get('/health').expect(200)).body.webhooks).toEqual({ delivering: false, subscriptions: 0 });
    } finally {
      await t.close();
      removeDir(t.dataDir);
    }
  });
});
