import Database from 'better-sqlite3';
import { CommitNotifier } from './commit-notifier';
import { EventStoreClosedError } from './event-store.errors';
import {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamAppend,
  StreamAppendOutcome,
  SubscribeOptions,
  SubscriptionFilter,
} from './event-store.port';
import { AppendBatcherStats, Outcome, SqliteAppendBatcher } from './sqlite-append-batcher';
import { SqliteBulkWriter } from './sqlite-bulk-writer';
import { AllStreamPage, SqliteAllSubscription } from './sqlite-all-subscription';
import { EventStatements, openEventDatabase, prepareEventStatements, toStoredEvent } from './sqlite-schema';
import { AppendRequest, prepareAppend } from './sqlite-stream-appender';
import { checkDelay, checkFilter, toLimit } from './event-store-arguments';

export interface SqliteEventStoreOptions {
  /** Database file. WAL needs a real file; ':memory:' works but silently stays in rollback-journal mode. */
  filename: string;
  /** How often an idle subscription looks for events committed by another process. Default 100 ms. */
  pollIntervalMs?: number;
  /** How long to wait for another process's write lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Most appends committed together. Default 512. */
  maxBatchSize?: number;
  /** readAll page when no maxCount is given. Default 1000. */
  defaultReadAllCount?: number;
  /** Events a subscription reads per query. Default 500. */
  subscriptionPageSize?: number;
}

/**
 * The embedded EventStore: one SQLite file, written through group commit (see SqliteAppendBatcher).
 * better-sqlite3 is synchronous, so reads run on the calling turn; the async signatures are the port's.
 * Several instances (or processes) may share a file: writes take SQLite's write lock, and subscriptions poll.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements: EventStatements;
  private readonly batcher: SqliteAppendBatcher;
  private readonly bulk: SqliteBulkWriter;
  private readonly filename: string;
  private readonly notifier = new CommitNotifier();
  private readonly subscriptions = new Set<SqliteAllSubscription>();
  private readonly pollIntervalMs: number;
  private readonly defaultReadAllCount: number;
  private readonly subscriptionPageSize: number;
  private closing: Promise<void> | null = null;

  constructor(options: SqliteEventStoreOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.defaultReadAllCount = options.defaultReadAllCount ?? 1000;
    this.subscriptionPageSize = options.subscriptionPageSize ?? 500;
    this.db = openEventDatabase(options.filename, options.busyTimeoutMs ?? 5000);
    this.statements = prepareEventStatements(this.db);
    this.batcher = new SqliteAppendBatcher(this.db, this.statements, () => this.notifier.notify(), options.maxBatchSize);
    this.filename = options.filename;
    this.bulk = new SqliteBulkWriter(options.filename, options.busyTimeoutMs ?? 5000);
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    return this.batcher.enqueue(prepareAppend(streamId, events, options.expectedRevision));
  }

  /**
   * Small batches are written at once on this connection, a thousand appends per transaction (writeAppends); large
   * ones (BULK_THREAD_MIN appends or more) by the bulk writer thread, so that the caller's next batch is prepared
   * while this one commits.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    this.assertOpen();
    if (!Array.isArray(appends)) throw new TypeError('appends must be an array');
    const outcomes: StreamAppendOutcome[] = new Array(appends.length);
    const requests: AppendRequest[] = [];
    const at: number[] = [];
    appends.forEach((append, i) => {
      try {
        requests.push(prepareAppend(append.streamId, append.events, append.expectedRevision));
        at.push(i);
      } catch (error) {
        outcomes[i] = { ok: false, error: error as Error };
      }
    });
    let written: Outcome[];
    if (requests.length >= BULK_THREAD_MIN && this.filename !== ':memory:') { // another connection to ':memory:' is another database
      this.batcher.drain(); // what was queued before goes first
      written = await this.bulk.write(requests);
      if (written.some((o) => o.ok && o.result.written)) this.notifier.notify();
    } else {
      written = this.batcher.writeNow(requests);
    }
    written.forEach((outcome, k) => (outcomes[at[k]!] = outcome as StreamAppendOutcome));
    return outcomes;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const limit = toLimit(options.maxCount, -1);
    const rows =
      options.direction === 'backwards'
        ? this.statements.readStreamBackwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.statements.readStreamForwards.all(streamId, options.fromRevision ?? 0, limit);
    return rows.map(toStoredEvent);
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    this.assertOpen();
    if (!Array.isArray(streamIds) || streamIds.some((id) => typeof id !== 'string')) throw new TypeError('streamIds must be an array of strings');
    const streams = new Map<string, StoredEvent[]>();
    if (streamIds.length === 0) return streams;
    for (const row of this.statements.readStreams.all(JSON.stringify(streamIds))) {
      const event = toStoredEvent(row);
      const list = streams.get(event.streamId);
      if (list) list.push(event);
      else streams.set(event.streamId, [event]);
    }
    return streams;
  }

  async readCorrelated(correlationId: string, options: { maxCount?: number } = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    if (typeof correlationId !== 'string') throw new TypeError('correlationId must be a string');
    return this.statements.readCorrelated.all(correlationId, toLimit(options.maxCount, 10_000)).map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const maxCount = toLimit(options.maxCount, this.defaultReadAllCount);
    const after = withinSqlite(options.after ?? null);
    if (!options.filter) return this.readPage(after, maxCount);
    const filter = checkFilter(options.filter);
    const types = filter.eventTypes ? JSON.stringify(filter.eventTypes) : null;
    const prefixes = filter.streamPrefixes ? JSON.stringify(filter.streamPrefixes) : null;
    return this.statements.readAllFiltered.all(after ?? -1n, MAX_POSITION, types, types, prefixes, prefixes, maxCount).map(toStoredEvent);
  }

  subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const subscription = new SqliteAllSubscription(
      {
        readPage: (after, maxCount, filter) => this.readSubscriptionPage(after, maxCount, filter),
        commitCount: () => this.notifier.commitCount,
        waitForCommit: (timeoutMs, signal) => this.notifier.waitForCommit(timeoutMs, signal),
      },
      {
        after: withinSqlite(options.after ?? null),
        signal: options.signal,
        pageSize: this.subscriptionPageSize,
        pollIntervalMs: this.pollIntervalMs,
        filter: options.filter ? checkFilter(options.filter) : undefined,
        liveDelayMs: checkDelay(options.liveDelayMs ?? 0),
        onCheckpoint: options.onCheckpoint,
      },
      (ended) => this.subscriptions.delete(ended),
    );
    if (!subscription.isEnded) this.subscriptions.add(subscription); // an already aborted signal ends it at once
    return subscription;
  }

  async headPosition(): Promise<bigint | null> {
    this.assertOpen();
    return this.statements.headPosition.get()?.head ?? null;
  }

  /** Commit and append counts since open: appends / commits is the group-commit batching factor. */
  stats(): AppendBatcherStats {
    return this.batcher.stats();
  }

  /** The durability settings this connection really runs with (for tests and diagnostics). */
  sqliteSettings(): { journalMode: string; synchronous: number; busyTimeoutMs: number } {
    this.assertOpen();
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
    };
  }

  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    try {
      // Appends already accepted were promised a commit: write them before letting go of the file.
      this.batcher.drain();
      await this.bulk.close();
    } finally {
      for (const subscription of [...this.subscriptions]) subscription.end();
      this.notifier.close();
      this.db.close();
    }
  }

  private readPage(after: bigint | null, maxCount: number): StoredEvent[] {
    return this.statements.readAll.all(after ?? -1n, maxCount).map(toStoredEvent);
  }

  private readSubscriptionPage(after: bigint | null, maxCount: number, filter: SubscriptionFilter | undefined): AllStreamPage {
    if (!filter) {
      const events = this.readPage(after, maxCount);
      return { events, scannedTo: events.at(-1)?.position ?? after, reachedHead: events.length < maxCount };
    }
    // Filtered: scan up to the head as it is now, so the cursor can move past skipped events even when none match.
    const head = this.statements.headPosition.get()?.head ?? null;
    if (head === null || (after !== null && after >= head)) return { events: [], scannedTo: after, reachedHead: true };
    const types = filter.eventTypes ? JSON.stringify(filter.eventTypes) : null;
    const prefixes = filter.streamPrefixes ? JSON.stringify(filter.streamPrefixes) : null;
    const events = this.statements.readAllFiltered.all(after ?? -1n, head, types, types, prefixes, prefixes, maxCount).map(toStoredEvent);
    const reachedHead = events.length < maxCount;
    return { events, scannedTo: reachedHead ? head : events[events.length - 1].position, reachedHead };
  }

  private assertOpen(): void {
    if (this.closing) throw new EventStoreClosedError();
  }
}

/** Batches of at least this many appends go to the bulk writer thread (smaller ones are not worth the hop). */
const BULK_THREAD_MIN = 256;

/** The largest position SQLite can give (INTEGER PRIMARY KEY is a signed 64-bit integer). */
const MAX_POSITION = 2n ** 63n - 1n;

/** A position to read after, as SQLite can bind it: one beyond any SQLite position (another store's) is past them all. */
function withinSqlite(after: bigint | null): bigint | null {
  return after !== null && after > MAX_POSITION ? MAX_POSITION : after;
}
