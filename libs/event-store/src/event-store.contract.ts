/**
 * The behaviour every EventStore adapter must show, as a jest suite. Call it from an adapter's spec:
 *
 *   describeEventStoreContract('SqliteEventStore', async () => ({ store, cleanup }));
 *
 * The factory gives each test its own store that nothing else writes to meanwhile. It may hold events already
 * (tests only look past the head position they start at, which suits a shared server), but an empty one also gets
 * the checks of an empty store. Only the port is tested here, nothing adapter-specific.
 * Not exported from the barrel because it uses jest globals; import '@pipeline-ledger/event-store/event-store.contract'.
 */
import { randomUUID } from 'node:crypto';
import { EventIdConflictError, EventStoreClosedError, WrongExpectedRevisionError } from './event-store.errors';
import { EventMetadata, EventStore, ExpectedRevision, NewEvent, StoredEvent } from './event-store.port';

export interface EventStoreContractFixture {
  store: EventStore;
  cleanup(): Promise<void>;
  /**
   * False for a store that checks event ids within their stream only (EventStoreDB keeps no index of ids across
   * streams): the one test of an id stored in another stream is then skipped, and its name says why. Default true.
   */
  eventIdsUniqueAcrossStreams?: boolean;
}

export function describeEventStoreContract(
  adapterName: string,
  factory: () => Promise<EventStoreContractFixture>,
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let fixture: EventStoreContractFixture;
    let store: EventStore;
    /** Head position before the test: the test's own events are the ones after it. */
    let start: bigint | null;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
      start = await store.headPosition();
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    const append = (streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision = 'any') =>
      store.appendToStream(streamId, events, { expectedRevision });

    describe('append and readStream', () => {
      it('reads back what was appended, in order, with 0-based revisions', async () => {
        const stream = newStreamId();
        const events = [newEvent({ type: 'A' }), newEvent({ type: 'B' }), newEvent({ type: 'C' })];

        const result = await append(stream, events, 'no_stream');

        expect(result).toEqual({ streamId: stream, nextExpectedRevision: 2, position: expect.any(BigInt), written: true });
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.eventId, e.revision, e.type, e.streamId])).toEqual(
          events.map((e, i) => [e.eventId, i, e.type, stream]),
        );
        expect(read.map((e) => e.data)).toEqual(events.map((e) => e.data));
        expect(read[2].position).toBe(result.position);
      });

      it('continues revisions without gaps across appends', async () => {
        const stream = newStreamId();
        const first = await append(stream, [newEvent(), newEvent()], 'no_stream');
        const second = await append(stream, [newEvent()], first.nextExpectedRevision);

        expect(second.nextExpectedRevision).toBe(2);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('round-trips data, schemaVersion and metadata, and adds an ISO 8601 recordedAt', async () => {
        const stream = newStreamId();
        const metadata = newMetadata({ causationId: null, idempotencyKey: 'k-1', nested: { list: [1, 'two', null] } });
        const data = { name: 'Zoë 🚀', amount: { cents: 123456, currency: 'EUR' }, tags: ['a', 'b'], none: null };
        const before = Date.now();

        await append(stream, [newEvent({ data, metadata, schemaVersion: 3 })]);

        const [event] = await store.readStream(stream);
        expect(event.data).toEqual(data);
        expect(event.schemaVersion).toBe(3);
        const { recordedAt, ...rest } = event.metadata;
        expect(rest).toEqual(metadata);
        expect(new Date(recordedAt).toISOString()).toBe(recordedAt);
        expect(Date.parse(recordedAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(Date.parse(recordedAt)).toBeLessThanOrEqual(Date.now() + 1000);
      });

      it('reads an unknown stream as empty', async () => {
        await append(newStreamId(), [newEvent()]);
        expect(await store.readStream('nothing-here')).toEqual([]);
        expect(await store.readStream('nothing-here', { direction: 'backwards' })).toEqual([]);
      });

      it('reads backwards, from a revision, and at most maxCount events', async () => {
        const stream = newStreamId();
        await append(stream, Array.from({ length: 6 }, () => newEvent()));
        const revisions = (events: StoredEvent[]) => events.map((e) => e.revision);

        expect(revisions(await store.readStream(stream, { direction: 'backwards' }))).toEqual([5, 4, 3, 2, 1, 0]);
        expect(revisions(await store.readStream(stream, { fromRevision: 2 }))).toEqual([2, 3, 4, 5]);
        expect(revisions(await store.readStream(stream, { maxCount: 2 }))).toEqual([0, 1]);
        expect(revisions(await store.readStream(stream, { fromRevision: 3, maxCount: 2 }))).toEqual([3, 4]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', fromRevision: 3 }))).toEqual([3, 2, 1, 0]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual([5]);
        expect(revisions(await store.readStream(stream, { fromRevision: 6 }))).toEqual([]);
      });
    });

    describe('expected revision', () => {
      it("'no_stream' passes for a new stream and fails for an existing one", async () => {
        const stream = newStreamId();
        await append(stream, [newEvent(), newEvent()], 'no_stream');

        await expectWrongRevision(append(stream, [newEvent()], 'no_stream'), stream, 'no_stream', 1);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("'stream_exists' fails for a new stream and passes for an existing one", async () => {
        const stream = newStreamId();
        await expectWrongRevision(append(stream, [newEvent()], 'stream_exists'), stream, 'stream_exists', 'no_stream');
        expect(await store.readStream(stream)).toEqual([]);

        await append(stream, [newEvent()], 'no_stream');
        await expect(append(stream, [newEvent()], 'stream_exists')).resolves.toMatchObject({ nextExpectedRevision: 1 });
      });

      it('a number passes when it is the last revision and fails otherwise, reporting the actual revision', async () => {
        const stream = newStreamId();
        await expectWrongRevision(append(stream, [newEvent()], 0), stream, 0, 'no_stream');
        await append(stream, [newEvent(), newEvent(), newEvent()], 'no_stream');

        await expectWrongRevision(append(stream, [newEvent()], 1), stream, 1, 2);
        await expectWrongRevision(append(stream, [newEvent()], 3), stream, 3, 2);
        await expect(append(stream, [newEvent()], 2)).resolves.toMatchObject({ nextExpectedRevision: 3, written: true });
        expect(await store.readStream(stream)).toHaveLength(4);
      });

      it("-1 means the same as 'no_stream'", async () => {
        const stream = newStreamId();
        await expect(append(stream, [newEvent()], -1)).resolves.toMatchObject({ nextExpectedRevision: 0 });
        await expectWrongRevision(append(stream, [newEvent()], -1), stream, -1, 0);
      });

      it("'any' passes whether or not the stream exists", async () => {
        const stream = newStreamId();
        await expect(append(stream, [newEvent()], 'any')).resolves.toMatchObject({ nextExpectedRevision: 0 });
        await expect(append(stream, [newEvent()], 'any')).resolves.toMatchObject({ nextExpectedRevision: 1 });
      });
    });

    describe('idempotent append by event id', () => {
      it('re-appending the same events writes nothing and reports where the stream is', async () => {
        const stream = newStreamId();
        const events = [newEvent(), newEvent()];
        const first = await append(stream, events, 'no_stream');

        const retry = await append(stream, events, 'no_stream');

        expect(retry).toEqual({ streamId: stream, nextExpectedRevision: 1, position: first.position, written: false });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('succeeds even when the expected revision went stale since the first append', async () => {
        const stream = newStreamId();
        const events = [newEvent(), newEvent()];
        const first = await append(stream, events, 'no_stream');
        await append(stream, [newEvent()], 1);

        const retry = await append(stream, events, 'no_stream');

        expect(retry).toEqual({ streamId: stream, nextExpectedRevision: 2, position: first.position, written: false });
        expect(await readEverything(store, start)).toHaveLength(3);
      });

      it('rejects a partly stored append with EventIdConflictError and writes none of it', async () => {
        const stream = newStreamId();
        const [a, b] = [newEvent(), newEvent()];
        await append(stream, [a, b]);
        const fresh = newEvent();

        const error = await append(stream, [b, fresh]).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(EventIdConflictError);
        expect((error as EventIdConflictError).eventIds).toEqual([b.eventId]);
        expect((await store.readStream(stream)).map((e) => e.eventId)).toEqual([a.eventId, b.eventId]);
      });

      it('rejects ids that are stored in another stream (skipped for stores that check ids within their stream only)', async () => {
        if (fixture.eventIdsUniqueAcrossStreams === false) {
          // eslint-disable-next-line no-console
          console.warn(`${adapterName}: ids are checked within their stream only; the cross-stream id test does not apply`);
          return;
        }
        const events = [newEvent()];
        await append(newStreamId(), events);
        const other = newStreamId();

        await expect(append(other, events)).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.readStream(other)).toEqual([]);
      });

      it('rejects the same id twice in one append and writes nothing', async () => {
        const stream = newStreamId();
        const event = newEvent();

        await expect(append(stream, [event, newEvent(), event])).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.readStream(stream)).toEqual([]);
      });
    });

    describe('empty append', () => {
      it('writes nothing and reports a missing stream as revision -1, position -1', async () => {
        const stream = newStreamId();
        await expect(append(stream, [], 'no_stream')).resolves.toEqual({
          streamId: stream,
          nextExpectedRevision: -1,
          position: -1n,
          written: false,
        });
        expect(await store.headPosition()).toBe(start);
      });

      it("reports an existing stream's last revision and position, and still checks the expected revision", async () => {
        const stream = newStreamId();
        const appended = await append(stream, [newEvent(), newEvent()]);

        await expect(append(stream, [], 1)).resolves.toEqual({
          streamId: stream,
          nextExpectedRevision: 1,
          position: appended.position,
          written: false,
        });
        await expectWrongRevision(append(stream, [], 'no_stream'), stream, 'no_stream', 1);
      });
    });

    describe('readAll and positions', () => {
      it('has no head position while empty, and the last position afterwards', async () => {
        if (start === null) expect(await store.headPosition()).toBeNull();
        await append(newStreamId(), [newEvent()]);
        const last = await append(newStreamId(), [newEvent(), newEvent()]);
        expect(await store.headPosition()).toBe(last.position);
      });

      it('gives global positions that strictly increase across streams', async () => {
        const positions: bigint[] = [];
        for (let i = 0; i < 6; i++) positions.push((await append(`stream-${i % 3}-${suffix}`, [newEvent()])).position);
        const all = await readEverything(store, start);

        expect(all.map((e) => e.position)).toEqual(positions);
        expectStrictlyIncreasing(positions);
      });

      it('pages with `after` through every event exactly once, in position order', async () => {
        const appended: string[] = [];
        for (let i = 0; i < 9; i++) {
          const events = [newEvent(), newEvent(), newEvent()];
          await append(`page-${i % 4}-${suffix}`, events);
          appended.push(...events.map((e) => e.eventId));
        }

        const pages: StoredEvent[][] = [];
        let after: bigint | null = start;
        for (;;) {
          const page = await store.readAll({ after, maxCount: 7 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(7);
          pages.push(page);
          after = page[page.length - 1].position;
        }

        const all = pages.flat();
        expect(pages).toHaveLength(4);
        expect(all.map((e) => e.eventId)).toEqual(appended);
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect(await store.readAll({ after: all[all.length - 1].position })).toEqual([]);
        expect((await store.readAll({ after: start, maxCount: 5 })).map((e) => e.eventId)).toEqual(appended.slice(0, 5));
      });
    });

    describe('concurrent appends', () => {
      it('64 appends to different streams at once all succeed', async () => {
        const streams = Array.from({ length: 64 }, () => newStreamId());

        const results = await Promise.all(streams.map((s) => append(s, [newEvent(), newEvent()], 'no_stream')));

        expect(results.every((r) => r.written && r.nextExpectedRevision === 1)).toBe(true);
        expect(new Set(results.map((r) => r.position)).size).toBe(64);
        const all = await readEverything(store, start);
        expect(all).toHaveLength(128);
        expectStrictlyIncreasing(all.map((e) => e.position));
      });

      it('of 20 appends to one stream with the same expected revision exactly one wins', async () => {
        const stream = newStreamId();
        await append(stream, [newEvent()], 'no_stream');

        const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => append(stream, [newEvent()], 0)));

        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        expect(failures).toHaveLength(19);
        for (const failure of failures) {
          expect(failure).toBeInstanceOf(WrongExpectedRevisionError);
          expect((failure as WrongExpectedRevisionError).actual).toBe(1);
        }
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1]);
      });

      it('a failing append does not fail the appends fired with it', async () => {
        const taken = newEvent();
        await append(newStreamId(), [taken]);
        const [ok1, ok2, ok3] = [newStreamId(), newStreamId(), newStreamId()];
        const existing = newStreamId();
        await append(existing, [newEvent()]);

        const outcomes = await Promise.allSettled([
          append(ok1, [newEvent()], 'no_stream'),
          append(existing, [newEvent()], 'no_stream'), // wrong expected revision
          append(ok2, [newEvent(), newEvent()], 'no_stream'),
          append(newStreamId(), [newEvent(), taken], 'any'), // id stored elsewhere
          append(ok3, [newEvent()], 'any'),
        ]);

        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(EventIdConflictError);
        expect(await store.readStream(ok1)).toHaveLength(1);
        expect(await store.readStream(ok2)).toHaveLength(2);
        expect(await store.readStream(ok3)).toHaveLength(1);
        expect(await store.readStream(existing)).toHaveLength(1);
        expect(await readEverything(store, start)).toHaveLength(6);
      });
    });

    describe('readStreams', () => {
      it('reads many streams at once, each in revision order, leaving out the ones with no events', async () => {
        const [a, b, missing] = [newStreamId(), newStreamId(), newStreamId()];
        const aEvents = [newEvent({ type: 'A1' }), newEvent({ type: 'A2' })];
        await append(a, [aEvents[0]!]);
        const bEvents = [newEvent({ type: 'B1' })];
        await append(b, bEvents);
        await append(a, [aEvents[1]!]);

        const streams = await store.readStreams([a, missing, b, a]);

        expect([...streams.keys()].sort()).toEqual([a, b].sort());
        expect(streams.get(a)!.map((e) => [e.eventId, e.revision])).toEqual([[aEvents[0]!.eventId, 0], [aEvents[1]!.eventId, 1]]);
        expect(streams.get(b)!.map((e) => e.data)).toEqual(bEvents.map((e) => e.data));
        expect((await store.readStreams([])).size).toBe(0);
      });
    });

    describe('readAll with a filter', () => {
      it('pages through the matching events only, by type and by stream prefix', async () => {
        const prefix = `filtered${randomUUID().slice(0, 8)}-`;
        const streams = [`${prefix}a`, `${prefix}b`, newStreamId()];
        for (let i = 0; i < 12; i++) await append(streams[i % 3]!, [newEvent({ type: i % 2 ? 'Wanted' : 'Other' })]);

        const byType: StoredEvent[] = [];
        for (let after = start; ; ) {
          const page = await store.readAll({ after, maxCount: 2, filter: { eventTypes: ['Wanted'] } });
          byType.push(...page);
          if (page.length < 2) break;
          after = page[page.length - 1]!.position;
        }
        expect(byType.map((e) => e.type)).toEqual(Array(6).fill('Wanted'));
        expectStrictlyIncreasing(byType.map((e) => e.position));

        const byPrefix = await store.readAll({ after: start, maxCount: 100, filter: { streamPrefixes: [prefix] } });
        expect(byPrefix).toHaveLength(8);
        expect(byPrefix.every((e) => e.streamId.startsWith(prefix))).toBe(true);
        const both = await store.readAll({ after: start, maxCount: 100, filter: { streamPrefixes: [prefix], eventTypes: ['Wanted'] } });
        expect(both.map((e) => e.streamId)).toEqual(byPrefix.filter((e) => e.type === 'Wanted').map((e) => e.streamId));
      });
    });

    describe('batch append (appendToStreams)', () => {
      it('writes every append of the batch, one outcome per append in the order given', async () => {
        const streams = Array.from({ length: 600 }, () => newStreamId()); // more than one SQLite transaction's worth
        const batch = streams.map((streamId, i) => ({ streamId, events: i % 2 ? [newEvent(), newEvent()] : [newEvent()], expectedRevision: 'no_stream' as const }));

        const outcomes = await store.appendToStreams(batch);

        expect(outcomes).toHaveLength(600);
        outcomes.forEach((o, i) => expect(o).toEqual({ ok: true, result: { streamId: streams[i], nextExpectedRevision: i % 2, position: expect.any(BigInt), written: true } }));
        expect(await readEverything(store, start)).toHaveLength(900);
        expect((await store.readStream(streams[599])).map((e) => e.eventId)).toEqual(batch[599].events.map((e) => e.eventId));
      });

      it('reports a refused append in its outcome and still writes the others', async () => {
        const taken = newEvent();
        await append(newStreamId(), [taken]);
        const existing = newStreamId();
        await append(existing, [newEvent()]);
        const [ok1, ok2] = [newStreamId(), newStreamId()];

        const outcomes = await store.appendToStreams([
          { streamId: ok1, events: [newEvent()], expectedRevision: 'no_stream' },
          { streamId: existing, events: [newEvent()], expectedRevision: 'no_stream' },
          { streamId: newStreamId(), events: [newEvent(), taken], expectedRevision: 'any' },
          { streamId: '', events: [newEvent()], expectedRevision: 'any' },
          { streamId: ok2, events: [newEvent(), newEvent()], expectedRevision: -1 },
        ]);

        expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, false, true]);
        expect((outcomes[1] as { error: Error }).error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((outcomes[2] as { error: Error }).error).toBeInstanceOf(EventIdConflictError);
        expect((outcomes[3] as { error: Error }).error).toBeInstanceOf(TypeError);
        expect(await store.readStream(ok1)).toHaveLength(1);
        expect(await store.readStream(ok2)).toHaveLength(2);
        expect(await store.readStream(existing)).toHaveLength(1);
        expect(await readEverything(store, start)).toHaveLength(5);
      });

      it('applies appends to the same stream in the order given, each checked against the one before', async () => {
        const stream = newStreamId();
        const [a, b, c] = [newEvent(), newEvent(), newEvent()];

        const outcomes = await store.appendToStreams([
          { streamId: stream, events: [a], expectedRevision: 'no_stream' },
          { streamId: stream, events: [b], expectedRevision: 0 },
          { streamId: stream, events: [c], expectedRevision: 0 }, // stale by then
        ]);

        expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
        expect((await store.readStream(stream)).map((e) => e.eventId)).toEqual([a.eventId, b.eventId]);
      });

      it('is idempotent by event id: the same batch again writes nothing and reports every append as not written', async () => {
        const batch = [newStreamId(), newStreamId()].map((streamId) => ({ streamId, events: [newEvent()], expectedRevision: 'no_stream' as const }));
        await store.appendToStreams(batch);

        const again = await store.appendToStreams(batch);

        expect(again.map((o) => o.ok && o.result.written)).toEqual([false, false]);
        expect(await readEverything(store, start)).toHaveLength(2);
      });

      it('answers an empty batch with no outcomes', async () => {
        await expect(store.appendToStreams([])).resolves.toEqual([]);
      });
    });

    describe('readCorrelated', () => {
      it('finds everything one request caused, across streams, in position order, and nothing else', async () => {
        const correlationId = randomUUID();
        const [a, b] = [newStreamId(), newStreamId()];
        const caused = (type: string) => newEvent({ type, metadata: newMetadata({ correlationId }) });
        await store.appendToStream(a, [caused('First'), caused('Second')], { expectedRevision: 'no_stream' });
        await store.appendToStream(newStreamId(), [newEvent()], { expectedRevision: 'no_stream' }); // another request
        await store.appendToStream(b, [caused('Third')], { expectedRevision: 'no_stream' });

        const found = await store.readCorrelated(correlationId);
        expect(found.map((e) => [e.streamId, e.type])).toEqual([
          [a, 'First'],
          [a, 'Second'],
          [b, 'Third'],
        ]);
        expect(found.every((e) => e.metadata.correlationId === correlationId)).toBe(true);
        expect(found.map((e) => e.position)).toEqual([...found.map((e) => e.position)].sort((x, y) => (x < y ? -1 : 1)));
        expect(await store.readCorrelated(correlationId, { maxCount: 2 })).toHaveLength(2);
        expect(await store.readCorrelated(randomUUID())).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it('delivers stored events (catch-up), then new ones (live), in order, and ends on abort', async () => {
        const before = await appendMany(store, 5);
        const abort = new AbortController();
        const iterator = store.subscribeToAll({ after: start, signal: abort.signal })[Symbol.asyncIterator]();

        const caughtUp = await take(iterator, 5);
        const livePromise = take(iterator, 6);
        const after = [...(await appendMany(store, 3)), ...(await appendMany(store, 3))];
        const live = await livePromise;

        expect([...caughtUp, ...live].map((e) => e.eventId)).toEqual([...before, ...after]);
        expectStrictlyIncreasing([...caughtUp, ...live].map((e) => e.position));

        const pending = iterator.next();
        abort.abort();
        await expect(pending).resolves.toEqual({ done: true, value: undefined });
        await expect(iterator.next()).resolves.toMatchObject({ done: true });
      });

      it('starts strictly after the given checkpoint', async () => {
        const ids = await appendMany(store, 6);
        const all = await readEverything(store, start);
        const abort = new AbortController();

        const iterator = store.subscribeToAll({ after: all[2].position, signal: abort.signal })[Symbol.asyncIterator]();
        const received = await take(iterator, 3);
        abort.abort();

        expect(received.map((e) => e.eventId)).toEqual(ids.slice(3));
      });

      it('catches up over more events than fit in one page', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 12; i++) {
          const events = Array.from({ length: 100 }, () => newEvent());
          await append(newStreamId(), events);
          ids.push(...events.map((e) => e.eventId));
        }
        const received: string[] = [];
        for await (const event of store.subscribeToAll({ after: start })) {
          received.push(event.eventId);
          if (received.length === ids.length) break;
        }
        expect(received).toEqual(ids);
      });

      it('with a type filter delivers only those types, in order, through catch-up and live', async () => {
        const wanted: string[] = [];
        const appendMixed = async (count: number) => {
          for (let i = 0; i < count; i++) {
            const type = i % 3 === 0 ? 'Wanted' : i % 3 === 1 ? 'AlsoWanted' : 'Ignored';
            const event = newEvent({ type });
            await append(newStreamId(), [event]);
            if (type !== 'Ignored') wanted.push(event.eventId);
          }
        };
        await appendMixed(9);
        const abort = new AbortController();
        const iterator = store
          .subscribeToAll({ after: start, signal: abort.signal, filter: { eventTypes: ['Wanted', 'AlsoWanted'] } })
          [Symbol.asyncIterator]();
        const caughtUp = await take(iterator, 6);
        const livePromise = take(iterator, 4);
        await appendMixed(6);
        const live = await livePromise;
        abort.abort();

        expect([...caughtUp, ...live].map((e) => e.eventId)).toEqual(wanted);
        expect([...caughtUp, ...live].every((e) => e.type !== 'Ignored')).toBe(true);
        expectStrictlyIncreasing([...caughtUp, ...live].map((e) => e.position));
      });

      it('with a type filter moves past long runs of other events, however many pages they fill', async () => {
        const abort = new AbortController();
        const iterator = store.subscribeToAll({ after: start, signal: abort.signal, filter: { eventTypes: ['Needle'] } })[Symbol.asyncIterator]();
        const first = iterator.next();
        for (let i = 0; i < 6; i++) await append(newStreamId(), Array.from({ length: 250 }, () => newEvent({ type: 'Hay' })));
        const needle = newEvent({ type: 'Needle' });
        await append(newStreamId(), [needle]);
        await expect(first).resolves.toMatchObject({ done: false, value: { eventId: needle.eventId } });
        abort.abort();
      });

      it('with a filter reports checkpoints past the events it skips, after every event before them is delivered', async () => {
        const needle = newEvent({ type: 'Needle' });
        await append(newStreamId(), [needle]);
        for (let i = 0; i < 4; i++) await append(newStreamId(), Array.from({ length: 250 }, () => newEvent({ type: 'Hay' })));
        const halfway = (await readEverything(store, start))[500]!.position;
        const checkpoints: bigint[] = [];
        const delivered: StoredEvent[] = [];
        const abort = new AbortController();
        let movedOn!: () => void;
        const movedPastHalf = new Promise<void>((resolve) => (movedOn = resolve));
        const iterator = store
          .subscribeToAll({
            after: start,
            signal: abort.signal,
            filter: { eventTypes: ['Needle'] },
            onCheckpoint: (position) => {
              checkpoints.push(position);
              // Only once the needle before the hay is out, and only forwards.
              expect(delivered.map((e) => e.eventId)).toEqual([needle.eventId]);
              expect(position > (checkpoints.at(-2) ?? delivered[0]!.position)).toBe(true);
              if (position >= halfway) movedOn();
            },
          })
          [Symbol.asyncIterator]();
        const consuming = (async () => {
          for (let next = await iterator.next(); !next.done; next = await iterator.next()) delivered.push(next.value);
        })();
        // A store may report few, coarse checkpoints (EventStoreDB: one per window of events its filter scans), but a
        // quiet consumer is told it got past a long run of events it does not want.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no checkpoint past the first 500 skipped events; got ${checkpoints.join(', ')}`)), 10_000)));
        try {
          await Promise.race([movedPastHalf, timeout]);
        } finally {
          clearTimeout(timer);
          abort.abort();
        }
        await consuming;
        expect(delivered.map((e) => e.eventId)).toEqual([needle.eventId]);
      });

      it('with a stream prefix filter delivers only those streams, alone or with a type filter, through catch-up and live', async () => {
        const run = randomUUID().slice(0, 8);
        const streams = { order: `order${run}-1`, orderLine: `order${run}-line-2`, other: `invoice${run}-1`, lookalike: `xorder${run}-1` };
        const appended: Array<{ eventId: string; streamId: string; type: string }> = [];
        const appendRound = async () => {
          for (const [i, streamId] of Object.values(streams).entries()) {
            const event = newEvent({ type: i % 2 === 0 ? 'Kept' : 'Other' });
            await append(streamId, [event]);
            appended.push({ eventId: event.eventId, streamId, type: event.type });
          }
        };
        await appendRound();
        const abort = new AbortController();
        const byPrefix = store.subscribeToAll({ after: start, signal: abort.signal, filter: { streamPrefixes: [`order${run}-`, `invoice${run}-`] } })[Symbol.asyncIterator]();
        const both = store.subscribeToAll({ after: start, signal: abort.signal, filter: { eventTypes: ['Kept'], streamPrefixes: [`order${run}-`] } })[Symbol.asyncIterator]();
        const prefixCaughtUp = await take(byPrefix, 3);
        const bothCaughtUp = await take(both, 1);
        const prefixLive = take(byPrefix, 3);
        const bothLive = take(both, 1);
        await appendRound();
        const expectedPrefix = appended.filter((e) => e.streamId !== streams.lookalike).map((e) => e.eventId);
        const expectedBoth = appended.filter((e) => e.type === 'Kept' && e.streamId.startsWith(`order${run}-`)).map((e) => e.eventId);
        expect([...prefixCaughtUp, ...(await prefixLive)].map((e) => e.eventId)).toEqual(expectedPrefix);
        expect([...bothCaughtUp, ...(await bothLive)].map((e) => e.eventId)).toEqual(expectedBoth);
        abort.abort();
      });

      it('refuses a filter with neither event types nor stream prefixes', () => {
        expect(() => store.subscribeToAll({ filter: {} })).toThrow(/eventTypes|streamPrefixes|filter/);
      });

      it('with liveDelayMs still delivers every live event, in order, once', async () => {
        const abort = new AbortController();
        const iterator = store.subscribeToAll({ after: await store.headPosition(), signal: abort.signal, liveDelayMs: 30 })[Symbol.asyncIterator]();
        const received = take(iterator, 10);
        const ids = [...(await appendMany(store, 4)), ...(await appendMany(store, 6))];
        expect((await received).map((e) => e.eventId)).toEqual(ids);
        abort.abort();
      });

      it('ends when the consumer breaks out of for-await', async () => {
        await appendMany(store, 3);
        const received: StoredEvent[] = [];
        for await (const event of store.subscribeToAll({ after: start })) {
          received.push(event);
          if (received.length === 2) break;
        }
        expect(received).toHaveLength(2);
      });

      it('ends a next() that waits for live events when return() is called', async () => {
        const iterator = store.subscribeToAll({ after: await store.headPosition() })[Symbol.asyncIterator]();
        const pending = iterator.next();
        await sleep(20);
        await iterator.return?.();
        await expect(pending).resolves.toMatchObject({ done: true });
      });

      it('ends at once when the signal is already aborted', async () => {
        await appendMany(store, 2);
        const abort = new AbortController();
        abort.abort();
        const received: StoredEvent[] = [];
        for await (const event of store.subscribeToAll({ after: start, signal: abort.signal })) received.push(event);
        expect(received).toEqual([]);
      });

      it('gives a slow consumer every event exactly once while writers keep appending', async () => {
        await appendMany(store, 20);
        const abort = new AbortController();
        const writers = (async () => {
          for (let round = 0; round < 10; round++) {
            await Promise.all(Array.from({ length: 8 }, () => append(newStreamId(), [newEvent(), newEvent()])));
            await sleep(2);
          }
        })();
        const total = 20 + 10 * 8 * 2;

        const received: StoredEvent[] = [];
        for await (const event of store.subscribeToAll({ after: start, signal: abort.signal })) {
          received.push(event);
          if (received.length % 10 === 0) await sleep(3); // slower than the writers
          if (received.length === total) break;
        }
        await writers;

        const stored = await readEverything(store, start);
        expect(received.map((e) => e.eventId)).toEqual(stored.map((e) => e.eventId));
        expectStrictlyIncreasing(received.map((e) => e.position));
      });

      it('is ended by close()', async () => {
        const iterator = store.subscribeToAll({ after: await store.headPosition() })[Symbol.asyncIterator]();
        const pending = iterator.next();
        await sleep(20);
        await store.close();
        await expect(pending).resolves.toMatchObject({ done: true });
      });
    });

    describe('close', () => {
      it('writes a batch already accepted before it closes', async () => {
        const streams = [newStreamId(), newStreamId()];
        const accepted = store.appendToStreams(streams.map((streamId) => ({ streamId, events: [newEvent()], expectedRevision: 'no_stream' as const })));
        await store.close();
        expect((await accepted).map((o) => o.ok)).toEqual([true, true]);
      });

      it('writes appends already accepted, then refuses new ones with EventStoreClosedError', async () => {
        const accepted = append(newStreamId(), [newEvent()]);
        await store.close();
        await expect(accepted).resolves.toMatchObject({ written: true });
        await expect(append(newStreamId(), [newEvent()])).rejects.toBeInstanceOf(EventStoreClosedError);
        await expect(store.appendToStreams([{ streamId: newStreamId(), events: [newEvent()], expectedRevision: 'any' }])).rejects.toBeInstanceOf(EventStoreClosedError);
        await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreClosedError);
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
}

/* ---------- helpers ---------- */

const suffix = randomUUID().slice(0, 8);

function newStreamId(): string {
  return `test-${randomUUID()}`;
}

function newMetadata(extra: Partial<EventMetadata> = {}): EventMetadata {
  return {
    actor: 'user:contract-test',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    occurredAt: new Date().toISOString(),
    ...extra,
  };
}

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'ContractTested',
    schemaVersion: 1,
    data: { n: Math.random() },
    metadata: newMetadata(),
    ...overrides,
  };
}

/** Appends `count` single-event appends one after another; returns their event ids in order. */
async function appendMany(store: EventStore, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = newEvent();
    await store.appendToStream(newStreamId(), [event], { expectedRevision: 'no_stream' });
    ids.push(event.eventId);
  }
  return ids;
}

/** Every event after `after`, paging through readAll. */
async function readEverything(store: EventStore, after: bigint | null): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after, maxCount: 100 });
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1].position;
  }
}

async function take(iterator: AsyncIterator<StoredEvent>, count: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  while (events.length < count) {
    const next = await iterator.next();
    if (next.done) throw new Error(`subscription ended after ${events.length} of ${count} events`);
    events.push(next.value);
  }
  return events;
}

async function expectWrongRevision(
  attempt: Promise<unknown>,
  streamId: string,
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): Promise<void> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect(error).toMatchObject({ streamId, expected, actual });
}

function expectStrictlyIncreasing(positions: bigint[]): void {
  positions.slice(1).forEach((position, i) => expect(position > positions[i]).toBe(true));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
