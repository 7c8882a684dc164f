import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from './event-store.contract';
import { EventStoreClosedError, WrongExpectedRevisionError } from './event-store.errors';
import { NewEvent, StoredEvent } from './event-store.port';
import { SqliteEventStore, SqliteEventStoreOptions } from './sqlite.event-store';

/** A fresh directory per store: WAL needs a real file, and -wal/-shm files live next to it. */
function tempDir(): { dir: string; file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'event-store-'));
  return { dir, file: join(dir, 'events.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeEventStoreContract('SqliteEventStore', async () => {
  const temp = tempDir();
  const store = new SqliteEventStore({ filename: temp.file, pollIntervalMs: 20 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      temp.remove();
    },
  };
});

describe('SqliteEventStore (SQLite specifics)', () => {
  let temp: ReturnType<typeof tempDir>;
  const opened: SqliteEventStore[] = [];
  const open = (options: Partial<SqliteEventStoreOptions> = {}) => {
    const store = new SqliteEventStore({ filename: temp.file, pollIntervalMs: 20, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    temp.remove();
  });

  it('keeps events across close and reopen', async () => {
    const first = open();
    const stream = `lead-${randomUUID()}`;
    const appended = await first.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
    await first.close();

    const reopened = open();
    expect((await reopened.readStream(stream)).map((e) => e.revision)).toEqual([0, 1]);
    expect(await reopened.headPosition()).toBe(appended.position);
    await expect(reopened.appendToStream(stream, [newEvent()], { expectedRevision: 1 })).resolves.toMatchObject({
      nextExpectedRevision: 2,
    });
  });

  it("reads nothing after a position beyond 64 bits (another store's), where binding it would fail", async () => {
    const store = open();
    await store.appendToStream(`lead-${randomUUID()}`, [newEvent()], { expectedRevision: 'no_stream' });
    const beyond = 1n << 70n;
    expect(await store.readAll({ after: beyond })).toEqual([]);
    expect(await store.readAll({ after: beyond, filter: { eventTypes: ['Anything'] } })).toEqual([]);
    const abort = new AbortController();
    const next = store.subscribeToAll({ after: beyond, signal: abort.signal })[Symbol.asyncIterator]().next();
    await store.appendToStream(`lead-${randomUUID()}`, [newEvent()], { expectedRevision: 'no_stream' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    abort.abort();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
  });

  it('runs with WAL, synchronous = FULL and a busy timeout', () => {
    expect(open({ busyTimeoutMs: 1234 }).sqliteSettings()).toEqual({ journalMode: 'wal', synchronous: 2, busyTimeoutMs: 1234 });
  });

  it('never reuses a position, even after the newest event is deleted (AUTOINCREMENT)', async () => {
    const store = open();
    const first = await store.appendToStream('s', [newEvent()], { expectedRevision: 'no_stream' });
    await expect(store.appendToStream('s', [newEvent()], { expectedRevision: 'no_stream' })).rejects.toThrow();
    const raw = new Database(temp.file);
    raw.prepare('DELETE FROM events WHERE position = ?').run(first.position);
    raw.close();

    const next = await store.appendToStream('t', [newEvent()], { expectedRevision: 'no_stream' });
    expect(next.position).toBeGreaterThan(first.position);
  });

  it('checks each append of a batch against the appends queued before it', async () => {
    const store = open();
    const outcomes = await Promise.allSettled([
      store.appendToStream('s', [newEvent()], { expectedRevision: 'no_stream' }),
      store.appendToStream('s', [newEvent()], { expectedRevision: 0 }),
      store.appendToStream('s', [newEvent()], { expectedRevision: 0 }), // stale: the one before moved s to 1
      store.appendToStream('s', [newEvent()], { expectedRevision: 1 }),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((await store.readStream('s')).map((e) => e.revision)).toEqual([0, 1, 2]);
    expect(store.stats()).toEqual({ commits: 1, appends: 4 });
  });

  it('treats the same append queued twice in one batch as a retry', async () => {
    const store = open();
    const events = [newEvent(), newEvent()];
    const [first, second] = await Promise.all([
      store.appendToStream('s', events, { expectedRevision: 'no_stream' }),
      store.appendToStream('s', events, { expectedRevision: 'no_stream' }),
    ]);
    expect(first.written).toBe(true);
    expect(second).toEqual({ ...first, written: false });
  });

  describe('group commit', () => {
    it('commits 64 concurrent appends in fewer transactions than appends', async () => {
      const store = open();
      await Promise.all(Array.from({ length: 64 }, (_, i) => store.appendToStream(`s-${i}`, [newEvent()], { expectedRevision: 'no_stream' })));
      const { commits, appends } = store.stats();
      expect(appends).toBe(64);
      expect(commits).toBeLessThan(64);
      expect(commits).toBeLessThanOrEqual(2);
    });

    it('commits appends awaited one by one each on its own', async () => {
      const store = open();
      for (let i = 0; i < 5; i++) await store.appendToStream('s', [newEvent()], { expectedRevision: i - 1 });
      expect(store.stats()).toEqual({ commits: 5, appends: 5 });
    });

    it('caps the batch size', async () => {
      const store = open({ maxBatchSize: 16 });
      await Promise.all(Array.from({ length: 64 }, (_, i) => store.appendToStream(`s-${i}`, [newEvent()], { expectedRevision: 'any' })));
      expect(store.stats()).toEqual({ commits: 4, appends: 64 });
    });

    it('fails the whole batch when its transaction cannot commit, and recovers afterwards', async () => {
      const store = open({ busyTimeoutMs: 30 });
      // Another connection (think: another process) holds the write lock past the busy timeout.
      const other = new Database(temp.file);
      other.exec('BEGIN IMMEDIATE');
      const outcomes = await Promise.allSettled([
        store.appendToStream('a', [newEvent()], { expectedRevision: 'any' }),
        store.appendToStream('b', [newEvent()], { expectedRevision: 'any' }),
      ]);
      other.exec('ROLLBACK');
      other.close();

      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(await store.readAll()).toEqual([]);
      await expect(store.appendToStream('a', [newEvent()], { expectedRevision: 'no_stream' })).resolves.toMatchObject({
        written: true,
      });
    });
  });

  describe('two instances on one file (as two processes would)', () => {
    it("sees the other instance's commits through its subscription (poll path)", async () => {
      const writer = open();
      const reader = open({ pollIntervalMs: 10 });
      await writer.appendToStream('s', [newEvent()], { expectedRevision: 'no_stream' });
      const abort = new AbortController();
      const iterator = reader.subscribeToAll({ signal: abort.signal })[Symbol.asyncIterator]();

      const catchUp = await iterator.next();
      const livePending = Promise.all([iterator.next(), iterator.next()]);
      await writer.appendToStream('s', [newEvent(), newEvent()], { expectedRevision: 0 });
      const live = await livePending;
      abort.abort();

      const received = [catchUp, ...live].map((r) => (r.done ? null : r.value));
      expect(received.map((e) => e?.revision)).toEqual([0, 1, 2]);
      expect(reader.stats().commits).toBe(0);
    });

    it('both can write: positions stay unique and revisions gap-free', async () => {
      const a = open();
      const b = open();
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? a : b).appendToStream(`s-${i % 4}`, [newEvent()], { expectedRevision: 'any' }),
        ),
      );
      const all = await a.readAll();
      expect(all).toHaveLength(40);
      expect(new Set(all.map((e) => e.position)).size).toBe(40);
      for (let s = 0; s < 4; s++) {
        expect((await b.readStream(`s-${s}`)).map((e: StoredEvent) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      }
    });
  });

  describe('close', () => {
    it('writes the queued batch before closing, so reopening finds it', async () => {
      const store = open();
      const pending = Array.from({ length: 10 }, (_, i) => store.appendToStream(`s-${i}`, [newEvent()], { expectedRevision: 'no_stream' }));
      await store.close();
      await Promise.all(pending);
      expect(await open().readAll()).toHaveLength(10);
    });

    it('refuses appends, reads and subscriptions afterwards with a clear error', async () => {
      const store = open();
      await store.close();
      await expect(store.appendToStream('s', [newEvent()], { expectedRevision: 'any' })).rejects.toThrow(EventStoreClosedError);
      await expect(store.readStream('s')).rejects.toThrow('the event store is closed');
      await expect(store.headPosition()).rejects.toThrow(EventStoreClosedError);
      expect(() => store.subscribeToAll()).toThrow(EventStoreClosedError);
    });
  });

  it('rejects malformed appends without queueing them', async () => {
    const store = open();
    const bad = (events: unknown[], expectedRevision: unknown = 'any') =>
      store.appendToStream('s', events as NewEvent[], { expectedRevision: expectedRevision as 'any' });
    await expect(bad([newEvent()], -2)).rejects.toThrow(RangeError);
    await expect(bad([newEvent()], 'maybe')).rejects.toThrow(RangeError);
    await expect(bad([{ ...newEvent(), eventId: '' }])).rejects.toThrow(TypeError);
    await expect(bad([{ ...newEvent(), data: 'text' }])).rejects.toThrow(TypeError);
    await expect(bad([{ ...newEvent(), metadata: null }])).rejects.toThrow(TypeError);
    expect(store.stats().appends).toBe(0);
    expect(await store.readAll()).toEqual([]);
  });
});

function newEvent(): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'Tested',
    schemaVersion: 1,
    data: { value: randomUUID() },
    metadata: { actor: 'user:test', correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString() },
  };
}
