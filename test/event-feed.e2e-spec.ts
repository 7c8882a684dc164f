import { randomUUID } from 'node:crypto';
import { AddressInfo, Socket } from 'node:net';
import http from 'node:http';
import request from 'supertest';
import { EventSource } from 'eventsource';
import { DOMAIN_EVENT_TYPES } from '@pipeline-ledger/domain';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { eventually } from './support/eventually';
import { adaLead, createLead } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';

interface Received {
  lastEventId: string;
  type: string;
  message: { eventId: string; position: string; streamId: string; type: string; schemaVersion: number; occurredAt: string; recordedAt: string; actor: string; correlationId: string; data: Record<string, unknown> };
}

/** A real EventSource client (the npm `eventsource` package, WhatWG semantics: it reconnects with Last-Event-ID by itself). */
function subscribe(url: string): { received: Received[]; errors: number; close(): void } {
  const source = new EventSource(url);
  const state = { received: [] as Received[], errors: 0, close: () => source.close() };
  for (const type of DOMAIN_EVENT_TYPES) {
    source.addEventListener(type, (e) => state.received.push({ lastEventId: e.lastEventId, type: e.type, message: JSON.parse(e.data) }));
  }
  source.addEventListener('error', () => state.errors++);
  return state;
}

describe('The event feed over Server-Sent Events (GET /events)', () => {
  let t: TestApp;
  let base: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    t = await startTestApp({ env: { FEED_HEARTBEAT_MS: '100', FEED_RETRY_MS: '50', PROJECTOR: 'off' } });
    t.http.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  const stored = async () => (t.app.get(EVENT_STORE) as EventStore).readAll({ maxCount: 100_000 });

  it('delivers the history, then each new event as it is appended, in global order, each once, with its envelope', async () => {
    const before = await createLead(t);
    const feed = subscribe(`${base}/events`);
    try {
      await eventually(async () => expect(feed.received.map((r) => r.message.streamId)).toContain(`lead-${before}`));
      const after = await createLead(t, { ...adaLead, lastName: 'Byron' });
      await request(t.http).post(`/leads/${after}/contacts`).send({ channel: 'call' }).expect(200);
      const all = await stored();
      await eventually(async () => expect(feed.received).toHaveLength(all.length));
      expect(feed.received.map((r) => r.message.eventId)).toEqual(all.map((e) => e.eventId));
      const contacted = feed.received.find((r) => r.type === 'LeadContacted')!;
      const event = all.find((e) => e.type === 'LeadContacted')!;
      expect(contacted.lastEventId).toBe(event.position.toString());
      expect(contacted.message).toEqual({
        eventId: event.eventId,
        position: event.position.toString(),
        streamId: `lead-${after}`,
        type: 'LeadContacted',
        schemaVersion: event.schemaVersion,
        occurredAt: event.metadata.occurredAt,
        recordedAt: event.metadata.recordedAt,
        actor: event.metadata.actor,
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.causationId,
        data: event.data,
      });
      expect(contacted.message).not.toHaveProperty('hash'); // the store's bookkeeping stays inside
    } finally {
      feed.close();
    }
  });

  it('after a forced disconnect, the client reconnects with its last id and misses nothing, gets nothing twice', async () => {
    const feedStats = async () => (await request(t.http).get('/health').expect(200)).body.eventFeed as { open: number; served: number };
    const feed = subscribe(`${base}/events?from=start`);
    try {
      await eventually(async () => expect((await feedStats()).open).toBe(1));
      const first = (await feedStats()).served;
      for (let cut = 0; cut < 4; cut++) {
        // Connected again (after the previous cut), and receiving: then new events, and cut it off while they flow.
        await eventually(async () => expect(await feedStats()).toMatchObject({ open: 1, served: first + cut }));
        const writes = Array.from({ length: 5 }, (_, i) => createLead(t, { ...adaLead, lastName: `Cut ${cut}-${i}` }));
        await Promise.all(writes);
        // Every connection but supertest's (none is in flight now): from the server's side, as a network failure would.
        for (const socket of sockets) socket.destroy();
      }
      const all = await stored();
      await eventually(async () => expect(feed.received).toHaveLength(all.length), 10_000);
      expect(feed.received.map((r) => r.message.eventId)).toEqual(all.map((e) => e.eventId));
      expect(new Set(feed.received.map((r) => r.message.eventId)).size).toBe(all.length);
      expect(feed.errors).toBeGreaterThanOrEqual(4); // it really was cut off four times...
      await eventually(async () => expect(await feedStats()).toMatchObject({ open: 1, served: first + 4 })); // ...and came back each time
    } finally {
      feed.close();
    }
  });

  it('filters by event type and by stream prefix, and resumes from a position', async () => {
    const leadId = await createLead(t, { ...adaLead, lastName: 'Filter' });
    await request(t.http).post(`/leads/${leadId}/contacts`).send({ channel: 'email' }).expect(200);
    const all = await stored();
    const contacted = subscribe(`${base}/events?types=LeadContacted`);
    const oneLead = subscribe(`${base}/events?streams=lead-${leadId}`);
    const middle = all[Math.floor(all.length / 2)]!.position;
    const resumed = subscribe(`${base}/events?from=${middle}`);
    try {
      await eventually(async () => {
        expect(contacted.received.map((r) => r.message.eventId)).toEqual(all.filter((e) => e.type === 'LeadContacted').map((e) => e.eventId));
        expect(oneLead.received.map((r) => r.type)).toEqual(['LeadCreated', 'LeadContacted']);
        expect(resumed.received.map((r) => r.message.eventId)).toEqual(all.filter((e) => e.position > middle).map((e) => e.eventId));
      });
    } finally {
      [contacted, oneLead, resumed].forEach((f) => f.close());
    }
  });

  it('from=end delivers only what is appended after connecting; heartbeats keep an idle stream alive', async () => {
    await createLead(t);
    const chunks: string[] = [];
    const abort = new AbortController();
    const response = await fetch(`${base}/events?from=end`, { signal: abort.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) chunks.push(decoder.decode(chunk));
    })().catch(() => undefined);
    try {
      await eventually(async () => expect(chunks.join('')).toMatch(/^: heartbeat /m));
      expect(chunks.join('')).not.toMatch(/^event: /m);
      const id = await createLead(t, { ...adaLead, lastName: 'Late' });
      await eventually(async () => expect(chunks.join('')).toContain(`"streamId":"lead-${id}"`));
      expect(chunks.join('').match(/^event: /gm)).toHaveLength(1);
    } finally {
      abort.abort();
      await reading;
    }
  });

  it('a client that reads nothing holds up its own stream: the server stops reading the store, it does not buffer', async () => {
    const store = t.app.get(EVENT_STORE) as EventStore;
    const padding = 'x'.repeat(1000);
    for (let batch = 0; batch < 40; batch++) {
      const streamId = `bulk-${randomUUID()}`;
      const events = Array.from({ length: 1000 }, () => ({
        eventId: randomUUID(),
        type: 'LeadContacted',
        schemaVersion: 1,
        data: { padding },
        metadata: { actor: 'test', correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString() },
      }));
      await store.appendToStream(streamId, events, { expectedRevision: 'no_stream' });
    }
    const total = (await stored()).length; // > 40,000 events, ~45 MB as SSE
    const deliveredBefore = (await request(t.http).get('/health').expect(200)).body.eventFeed.delivered as number;
    // A raw request whose response is never read: the socket's buffers fill, then the server must wait.
    const stalled = http.get(`${base}/events?from=start`);
    const response = await new Promise<http.IncomingMessage>((resolve) => stalled.on('response', resolve));
    response.pause();
    const delivered = async () => ((await request(t.http).get('/health').expect(200)).body.eventFeed.delivered as number) - deliveredBefore;
    await eventually(async () => expect(await delivered()).toBeGreaterThan(1000));
    let last = -1;
    await eventually(async () => {
      const now = await delivered();
      const settled = now === last;
      last = now;
      expect(settled).toBe(true);
    }, 10_000);
    expect(last).toBeLessThan(total / 2); // held up by the client: far from everything, and no longer moving
    // Once the client reads again, the rest follows.
    let bytes = 0;
    response.on('data', (chunk: Buffer) => (bytes += chunk.length));
    response.resume();
    await eventually(async () => expect(await delivered()).toBe(total), 20_000);
    expect(bytes).toBeGreaterThan(0);
    stalled.destroy();
  });

  it('refuses bad parameters with 400 naming them', async () => {
    const bad = await request(t.http).get('/events').query({ from: 'yesterday', types: 'LeadCreated,LeadVanished', extra: 1 }).expect(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['from', 'query']);
    const badType = await request(t.http).get('/events').query({ types: 'LeadCreated,LeadVanished' }).expect(400);
    expect(badType.body.issues).toEqual([expect.objectContaining({ field: 'types.1', reason: expect.stringContaining('LeadVanished') })]);
    const badId = await request(t.http).get('/events').set('Last-Event-ID', 'abc').expect(400);
    expect(badId.body.issues).toEqual([expect.objectContaining({ field: 'Last-Event-ID' })]);
    // Beyond 128 bits (EventStoreDB's widest positions): refused, like the same value in `from` (it used to end the
    // stream at once instead).
    for (const huge of [(2n ** 128n).toString(), '9'.repeat(40)]) {
      const refused = await request(t.http).get('/events').set('Last-Event-ID', huge).expect(400);
      expect(refused.body.issues).toEqual([expect.objectContaining({ field: 'Last-Event-ID' })]);
      const fromRefused = await request(t.http).get('/events').query({ from: huge }).expect(400);
      expect(fromRefused.body.issues).toEqual([expect.objectContaining({ field: 'from' })]);
    }
  });
});
