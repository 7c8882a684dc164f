import { randomUUID } from 'node:crypto';
import { LEAD_STATUS } from '@pipeline-ledger/domain';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent, SqliteEventStore, StoredEvent } from '@pipeline-ledger/event-store';
import { Projection } from '../projection';
import { ReadModelDocument } from '../read-model-store.port';
import { SqliteReadModelStore } from '../sqlite.read-model-store';
import { LEAD_LIST, leadsListProjection } from '../projections/leads-list.projection';
import { leadConversionProjection } from '../projections/lead-conversion.projection';
import { eventually } from '../testing/eventually';
import { ProjectorLeaseError, ProjectorRunner } from './projector-runner';

/** A small projection: one document per stream (events seen), and counters per event type. */
function tallyProjection(name: string, version = 1, failOn?: (e: StoredEvent) => boolean): Projection {
  return {
    name,
    version,
    collections: [
      { name: `${name}_streams`, indexedFields: ['count'] },
      { name: `${name}_types`, indexedFields: ['type'] },
    ],
    eventTypes: ['Ping', 'Pong'],
    entityCollection: `${name}_streams`,
    entityId: (e) => e.streamId,
    apply: (e, current) => {
      if (failOn?.(e)) throw new Error(`cannot take ${e.eventId}`);
      const count = ((current?.['count'] as number | undefined) ?? 0) + 1;
      return {
        document: { id: e.streamId, count, last: e.type, version } as ReadModelDocument,
        increments: [{ collection: `${name}_types`, id: e.type, group: { type: e.type }, add: { events: 1 } }],
      };
    },
  };
}

const event = (type: string): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data: {},
  metadata: { actor: 't', correlationId: 'c', causationId: null, occurredAt: new Date().toISOString() },
});

describe('ProjectorRunner', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: SqliteReadModelStore;
  const runners: ProjectorRunner[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pl-projector-'));
    events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    store = new SqliteReadModelStore({ filename: join(dir, 'read-models.sqlite') });
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await store.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (projections: Projection[], options = {}) => {
    const runner = new ProjectorRunner(events, store, projections, { maxDelayMs: 5, ...options });
    runners.push(runner);
    await runner.start();
    return runner;
  };
  const appendPings = async (stream: string, n: number, type = 'Ping') => {
    for (let i = 0; i < n; i++) await events.appendToStream(stream, [event(type)], { expectedRevision: 'any' });
  };
  const typeCounts = async (collection: string) =>
    Object.fromEntries((await store.sum(collection, { groupBy: ['type'], sum: ['events'] })).map((r) => [r['type'], r['events']]));

  it('catches up on what is stored, follows live, and says how far it is', async () => {
    await appendPings('s-1', 3);
    const runner = await start([tallyProjection('tally')]);
    await appendPings('s-2', 2, 'Pong');
    await eventually(async () => expect(await typeCounts('tally_types')).toEqual({ Ping: 3, Pong: 2 }));
    const docs = await store.find('tally_streams', { limit: 10, sort: [{ field: 'count', direction: 'desc' }] });
    expect(docs.documents.map((d) => [d.id, d['count']])).toEqual([['s-1', 3], ['s-2', 2]]);
    const [status] = await runner.status();
    expect(status).toMatchObject({ name: 'tally', status: 'running', lag: '0' });
    expect(status.active.checkpoint).toBe(await events.headPosition());
  });

  it('resumes from its checkpoint after a restart, counting nothing twice', async () => {
    await appendPings('s-1', 4);
    const first = await start([tallyProjection('tally')]);
    await eventually(async () => expect(await typeCounts('tally_types')).toEqual({ Ping: 4 }));
    await first.stop();
    await appendPings('s-1', 2);
    await start([tallyProjection('tally')]);
    await eventually(async () => expect(await typeCounts('tally_types')).toEqual({ Ping: 6 }));
  });

  it('stops only the projection that throws, records the event, and keeps its checkpoint before it', async () => {
    await appendPings('ok', 2);
    await appendPings('poison', 1, 'Pong');
    const poison = (await events.readStream('poison'))[0];
    await appendPings('ok', 2);
    const runner = await start([tallyProjection('good'), tallyProjection('bad', 1, (e) => e.streamId === 'poison')]);
    await eventually(async () => expect(await typeCounts('good_types')).toEqual({ Ping: 4, Pong: 1 }));
    const bad = (await runner.status()).find((s) => s.name === 'bad')!;
    expect(bad.status).toBe('failed');
    expect(bad.failure).toMatchObject({ eventId: poison.eventId, position: poison.position.toString(), message: expect.stringContaining('cannot take') });
    expect(bad.active.checkpoint === null || bad.active.checkpoint < poison.position).toBe(true);
    // The good one keeps following.
    await appendPings('ok', 1);
    await eventually(async () => expect(await typeCounts('good_types')).toEqual({ Ping: 5, Pong: 1 }));
  });

  it('stops only the projection that throws on an event that arrives live, too', async () => {
    const runner = await start([tallyProjection('good'), tallyProjection('bad', 1, (e) => e.streamId === 'poison')]);
    await appendPings('ok', 2);
    await appendPings('poison', 1, 'Pong');
    await appendPings('ok', 1);
    await eventually(async () => expect(await typeCounts('good_types')).toEqual({ Ping: 3, Pong: 1 }));
    const bad = (await runner.status()).find((s) => s.name === 'bad')!;
    expect(bad).toMatchObject({ status: 'failed', failure: { position: (await events.readStream('poison'))[0].position.toString() } });
  });

  it('catches up in growing batches: fewer transactions', async () => {
    const first = await start([tallyProjection('tally')]);
    await first.stop();
    for (let s = 0; s < 60; s++) await appendPings(`s-${s % 7}`, 1);
    const sizes: number[] = [];
    const write = store.writeBatch.bind(store);
    const spy = jest.spyOn(store, 'writeBatch').mockImplementation(async (batch) => {
      sizes.push(batch.upserts.length);
      return write(batch);
    });
    try {
      const runner = await start([tallyProjection('tally')], { liveBatchSize: 2, catchUpBatchSize: 16 });
      await eventually(async () => expect((await runner.status())[0].lag).toBe('0'));
      expect(await typeCounts('tally_types')).toEqual({ Ping: 60 });
      // 60 events in batches of 2, 4, 8, 16, 16, 14 (each writes the streams it touched, at most 7): 6 transactions, not 30.
      expect(sizes.length).toBeLessThanOrEqual(7);
      await appendPings('s-live', 1); // and a live event still shows within the timed flush
      await eventually(async () => expect(await typeCounts('tally_types')).toEqual({ Ping: 61 }));
    } finally {
      spy.mockRestore();
    }
  });

  it('rebuilds the projections whose version changed in one shared rebuild, where one that throws stops alone', async () => {
    await appendPings('ok', 2);
    await appendPings('poison', 1, 'Pong');
    const v1 = await start([tallyProjection('one'), tallyProjection('two'), tallyProjection('bad')]);
    await eventually(async () => expect((await v1.status()).map((s) => s.lag)).toEqual(['0', '0', '0']));
    await v1.stop();
    const messages: string[] = [];
    const logger = { log: (m: string) => messages.push(m), error: (m: string) => messages.push(m) };
    const v2 = await start([tallyProjection('one', 2), tallyProjection('two', 2), tallyProjection('bad', 2, (e) => e.streamId === 'poison')], { logger });
    await eventually(async () => expect((await v2.status()).map((s) => [s.name, s.status, s.active.version])).toEqual([['one', 'running', 2], ['two', 'running', 2], ['bad', 'failed', 1]]));
    expect(messages.filter((m) => m.startsWith('rebuilt'))).toEqual(['rebuilt one, two over 3 events']);
    await appendPings('ok', 1);
    await eventually(async () => expect(await typeCounts('two_types')).toEqual({ Ping: 3, Pong: 1 })); // and live
  });

  it('builds projections never built beside a store with events through one shared rebuild, then follows live', async () => {
    await appendPings('s-1', 3);
    const messages: string[] = [];
    const runner = await start([tallyProjection('one'), tallyProjection('two')], { logger: { log: (m: string) => messages.push(m), error: (m: string) => messages.push(m) } });
    await eventually(async () => expect((await runner.status()).map((s) => [s.name, s.lag, s.active.generation])).toEqual([['one', '0', 2], ['two', '0', 2]]));
    expect(messages.filter((m) => m.startsWith('rebuilt'))).toEqual(['rebuilt one, two over 3 events']);
    expect(await typeCounts('one_types')).toEqual({ Ping: 3 });
    await appendPings('s-1', 1);
    await eventually(async () => expect(await typeCounts('two_types')).toEqual({ Ping: 4 }));
  });

  it('lets a second rebuild request join the one in progress, progress included', async () => {
    for (let s = 0; s < 10; s++) await appendPings(`s-${s}`, 4);
    const runner = await start([tallyProjection('tally')], { rebuildBatchSize: 4 }); // never built: start() rebuilds
    const seen: number[] = [];
    await runner.rebuild(['tally'], (p) => seen.push(p.events));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(40);
    expect(await typeCounts('tally_types')).toEqual({ Ping: 40 });
  });

  it('lets timers run while it catches up live batch by batch', async () => {
    const first = await start([tallyProjection('tally')]);
    await appendPings('s-0', 1);
    await eventually(async () => expect((await first.status())[0].lag).toBe('0'));
    await first.stop();
    for (let s = 0; s < 10; s++) await appendPings(`s-${s}`, 4);
    let ticks = 0;
    const seen: number[] = [];
    const timer = setInterval(() => ticks++, 0);
    try {
      const counting = { ...tallyProjection('tally'), apply: (e: StoredEvent, c: ReadModelDocument | null) => (seen.push(ticks), tallyProjection('tally').apply(e, c)) };
      const runner = await start([counting], { liveBatchSize: 4 });
      await eventually(async () => expect((await runner.status())[0].lag).toBe('0'));
    } finally {
      clearInterval(timer);
    }
    expect(seen).toHaveLength(40);
    expect(seen[seen.length - 1]).toBeGreaterThan(seen[0]!);
  });

  it('rebuilds into a fresh generation while queries keep reading the old one, then swaps it in', async () => {
    await appendPings('s-1', 3);
    const runner = await start([tallyProjection('tally')]);
    await eventually(async () => expect(await typeCounts('tally_types')).toEqual({ Ping: 3 }));
    const before = (await store.state('tally'))!.active.generation;
    const progress: number[] = [];
    await runner.rebuild(['tally'], (p) => progress.push(p.events));
    const after = (await store.state('tally'))!;
    expect(after.active.generation).toBeGreaterThan(before);
    expect(after.rebuilding).toBeNull();
    expect(progress.at(-1)).toBe(3);
    expect(await typeCounts('tally_types')).toEqual({ Ping: 3 }); // same answer from the new generation
    await appendPings('s-1', 1);
    await eventually(async () => expect(await typeCounts('tally_types')).toEqual({ Ping: 4 })); // and live again
  });

  it('rebuilds to exactly what following live gave, while writing in several flushes and forgetting documents between them', async () => {
    // 30 streams, interleaved: with room for 3 documents and a write every 5 changed ones, most events find their
    // stream's document forgotten and must read it back from the store; a lost or stale one would miscount.
    for (let round = 0; round < 4; round++) for (let s = 0; s < 30; s++) await appendPings(`s-${(s * 7 + round) % 30}`, 1 + ((s + round) % 2), round % 2 ? 'Pong' : 'Ping');
    const runner = await start([tallyProjection('tally')], { rebuildBatchSize: 4, rebuildFlushWrites: 5, rebuildCacheDocuments: 3 });
    await eventually(async () => expect((await runner.status())[0].lag).toBe('0'));
    const streams = async () => (await store.find('tally_streams', { limit: 100, sort: [{ field: 'id', direction: 'asc' }] })).documents;
    const live = { streams: await streams(), types: await typeCounts('tally_types') };
    expect(live.streams).toHaveLength(30);

    await runner.rebuild(['tally']);
    expect({ streams: await streams(), types: await typeCounts('tally_types') }).toEqual(live);
    expect((await store.state('tally'))!.active.checkpoint).toBe(await events.headPosition());
  });

  it('lets timers and I/O run while it rebuilds, so an api running it in-process keeps answering', async () => {
    for (let s = 0; s < 20; s++) await appendPings(`s-${s}`, 2);
    const runner = await start([tallyProjection('tally')], { rebuildBatchSize: 4 });
    await eventually(async () => expect((await runner.status())[0].lag).toBe('0'));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const ticksAtProgress: number[] = [];
    try {
      await runner.rebuild(['tally'], () => ticksAtProgress.push(ticks));
    } finally {
      clearInterval(timer);
    }
    // The embedded stores are synchronous: without yielding, the whole rebuild would run before any timer.
    expect(ticksAtProgress.length).toBe(10);
    expect(ticksAtProgress[ticksAtProgress.length - 1]).toBeGreaterThan(ticksAtProgress[0]!);
  });

  it('runs alone on a read-model store: a second projector, or a one-off rebuild, is refused while the first holds its lease', async () => {
    await appendPings('s-1', 2);
    const first = await start([tallyProjection('tally')]);
    const second = new ProjectorRunner(events, store, [tallyProjection('tally')], { follow: false });
    await expect(second.start()).rejects.toThrow(ProjectorLeaseError);
    await expect(second.rebuild()).rejects.toThrow(new RegExp(`written by another projector \\(${hostname()}/${process.pid}/`));
    await first.stop(); // releases it
    const third = await start([tallyProjection('tally')]);
    await eventually(async () => expect(await typeCounts('tally_types')).toEqual({ Ping: 2 }));
    expect((await third.status())[0].status).toBe('running');
  });

  it('takes over the lease of a projector on this host whose process has died, without waiting for it to expire', async () => {
    const dead = `${hostname()}/999999999/deadbeef`; // above any pid_max: no such process
    expect(await store.claimLease({ holder: dead, ttlMs: 60_000 })).toMatchObject({ granted: true });
    const elsewhere = `some-other-host/1/cafebabe`;
    await start([tallyProjection('tally')]); // takes it from the dead holder
    expect(await store.claimLease({ holder: elsewhere, ttlMs: 60_000 })).toMatchObject({ granted: false, holder: expect.stringMatching(new RegExp(`^${hostname()}/${process.pid}/`)) });
  });

  it('rebuilds at start-up a projection whose version changed', async () => {
    await appendPings('s-1', 2);
    const v1 = await start([tallyProjection('tally', 1)]);
    await eventually(async () => expect(await typeCounts('tally_types')).toEqual({ Ping: 2 }));
    await v1.stop();
    const v2 = await start([tallyProjection('tally', 2)]);
    await eventually(async () => {
      const docs = await store.find('tally_streams', { limit: 10 });
      expect(docs.documents.map((d) => d['version'])).toEqual([2]);
    });
    expect((await v2.status())[0]).toMatchObject({ version: 2, active: { version: 2 } });
  });

  describe('stored events of older schema versions', () => {
    /** A LeadDisqualified of schema version 1 (words only), as the service stored them before version 2. */
    const disqualifiedV1 = (leadId: string): NewEvent => ({
      ...event('LeadDisqualified'),
      schemaVersion: 1,
      data: { leadId, reason: 'no budget until next year', disqualifiedAt: '2024-05-02T10:00:00.000Z', status: LEAD_STATUS.disqualified },
    });
    const leadCreated = (leadId: string): NewEvent => ({
      ...event('LeadCreated'),
      data: {
        leadId, firstName: null, lastName: 'Byron', company: 'Analytical Engines', title: null, email: null, phone: null, source: 'Referral',
        campaign: null, industry: null, rating: null, owner: 'alice', status: LEAD_STATUS.open, createdAt: '2024-05-01T09:00:00.000Z',
      },
    });

    it('are applied upcast to the current version, live and in a rebuild', async () => {
      const leadId = randomUUID();
      await events.appendToStream(`lead-${leadId}`, [leadCreated(leadId), disqualifiedV1(leadId)], { expectedRevision: 'no_stream' });
      const runner = await start([leadsListProjection, leadConversionProjection]); // never built: a rebuild
      const row = async () => (await store.getDocuments('leads-list', (await store.state('leads-list'))!.active.generation, LEAD_LIST, [leadId])).get(leadId);
      await eventually(async () => expect(await row()).toMatchObject({ status: LEAD_STATUS.disqualified, disqualificationReasonCode: 'other', disqualificationReason: 'no budget until next year' }));

      const later = randomUUID();
      await events.appendToStream(`lead-${later}`, [leadCreated(later), disqualifiedV1(later)], { expectedRevision: 'no_stream' }); // live
      await eventually(async () => expect((await runner.status()).map((s) => [s.name, s.status, s.lag])).toEqual([['leads-list', 'running', '0'], ['lead-conversion', 'running', '0']]));
      const rows = await store.getDocuments('leads-list', (await store.state('leads-list'))!.active.generation, LEAD_LIST, [later]);
      expect(rows.get(later)).toMatchObject({ disqualificationReasonCode: 'other', disqualificationReason: 'no budget until next year' });
    });

    it('stop only the projection that reads one of a version newer than the code knows, naming the event', async () => {
      const leadId = randomUUID();
      await events.appendToStream(`lead-${leadId}`, [leadCreated(leadId), { ...disqualifiedV1(leadId), schemaVersion: 3 }], { expectedRevision: 'no_stream' });
      const future = (await events.readStream(`lead-${leadId}`))[1];
      const runner = await start([leadsListProjection, tallyProjection('tally')]);
      await appendPings('s-1', 1);
      await eventually(async () => expect(await typeCounts('tally_types')).toEqual({ Ping: 1 }));
      await eventually(async () => expect((await runner.status()).find((s) => s.name === 'leads-list')).toMatchObject({
        status: 'failed',
        failure: { eventId: future.eventId, message: expect.stringContaining('schema version 3, newer than this service knows') },
      }));
    });
  });
});
