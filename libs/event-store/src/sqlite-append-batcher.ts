import Database from 'better-sqlite3';
import { EventIdConflictError, WrongExpectedRevisionError } from './event-store.errors';
import { AppendResult } from './event-store.port';
import { EventStatements } from './sqlite-schema';
import { AppendRequest, appendInTransaction } from './sqlite-stream-appender';

interface QueuedAppend {
  request: AppendRequest;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** How many appends of a bulk writer's batch go into one transaction (writeAppends). */
export const APPENDS_PER_TRANSACTION = 1000;

export type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

export interface AppendBatcherStats {
  /** Write transactions committed (each is one fsync with synchronous = FULL). */
  commits: number;
  /** Appends that went through a committed batch, whether they wrote, were idempotent retries or failed a check. */
  appends: number;
}

/**
 * Group commit. With synchronous = FULL every COMMIT costs an fsync, which caps single-append throughput at the
 * disk's flush rate. So appends are queued, and one flush per event-loop turn writes everything queued in ONE
 * transaction: each append in its own savepoint (a failed check undoes and rejects only that append), then one
 * COMMIT for all of them. Promises settle only after that COMMIT, so "resolved" always means "durable".
 *
 * The flush is scheduled with setImmediate when the first append arrives: appends fired together (Promise.all,
 * many HTTP requests in one turn) share a commit, while a lone append is committed on the next turn without
 * any timer delay.
 */
export class SqliteAppendBatcher {
  private queue: QueuedAppend[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private readonly counters: AppendBatcherStats = { commits: 0, appends: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly statements: EventStatements,
    /** Called after each COMMIT that wrote at least one event (wakes live subscriptions). */
    private readonly onCommitted: () => void,
    private readonly maxBatchSize = 512,
  ) {}

  enqueue(request: AppendRequest): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flushScheduled());
    });
  }

  /** A bulk writer's batch (appendToStreams), written now on this connection (see writeAppends); what is queued for the group commit first. */
  writeNow(requests: readonly AppendRequest[], chunk = APPENDS_PER_TRANSACTION): Outcome[] {
    this.drain();
    const outcomes = writeAppends(this.db, this.statements, requests, chunk);
    const commits = Math.ceil(requests.length / chunk);
    this.counters.commits += commits;
    this.counters.appends += requests.length;
    if (outcomes.some((o) => o.ok && o.result.written)) this.onCommitted();
    return outcomes;
  }

  /** Writes everything queued right now (used by close(), so accepted appends are not lost). */
  drain(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    while (this.queue.length > 0) this.runBatch(this.queue.splice(0, this.maxBatchSize));
  }

  stats(): AppendBatcherStats {
    return { ...this.counters };
  }

  private flushScheduled(): void {
    this.scheduled = null;
    this.runBatch(this.queue.splice(0, this.maxBatchSize));
    // More than one batch was queued: give the event loop a turn (settled promises, reads) before the next one.
    if (this.queue.length > 0) this.scheduled = setImmediate(() => this.flushScheduled());
  }

  private runBatch(batch: QueuedAppend[]): void {
    if (batch.length === 0) return;
    const { statements } = this;
    if (batch.length === 1) return this.runAlone(batch[0]);
    const outcomes: Outcome[] = [];
    try {
      statements.begin.run();
      for (const { request } of batch) outcomes.push(this.runInSavepoint(request));
      statements.commit.run();
    } catch (error) {
      // BEGIN or COMMIT failed (disk full, I/O error, lock held by another process past busy_timeout),
      // or a savepoint could not be rolled back: nothing of this batch is durable, so every append fails.
      this.rollbackQuietly();
      for (const item of batch) item.reject(error);
      return;
    }
    this.counters.commits += 1;
    this.counters.appends += batch.length;
    let wrote = false;
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) {
        wrote ||= outcome.result.written;
        item.resolve(outcome.result);
      } else {
        item.reject(outcome.error);
      }
    });
    if (wrote) this.onCommitted();
  }

  /** An append alone in its transaction needs no savepoint: a failed check undoes the whole transaction. */
  private runAlone(item: QueuedAppend): void {
    const { statements } = this;
    let result: AppendResult;
    try {
      statements.begin.run();
      result = appendInTransaction(statements, item.request);
      statements.commit.run();
    } catch (error) {
      this.rollbackQuietly();
      item.reject(error);
      return;
    }
    this.counters.commits += 1;
    this.counters.appends += 1;
    item.resolve(result);
    if (result.written) this.onCommitted();
  }

  private runInSavepoint(request: AppendRequest): Outcome {
    const { statements } = this;
    statements.savepoint.run();
    try {
      const result = appendInTransaction(statements, request);
      statements.release.run();
      return { ok: true, result };
    } catch (error) {
      // If undoing the savepoint itself fails the whole transaction is suspect: let runBatch fail the batch.
      statements.rollbackToSavepoint.run();
      statements.release.run();
      return { ok: false, error };
    }
  }

  private rollbackQuietly(): void {
    try {
      if (this.db.inTransaction) this.statements.rollback.run();
    } catch {
      // The connection is already out of the transaction (SQLite rolls back on some errors by itself).
    }
  }
}

/**
 * Appends written in transactions of up to `chunk`, without a savepoint per append: an append's checks (event ids,
 * expected revision) all run before it inserts anything, so an append refused by them has written nothing and the
 * transaction goes on. Anything else that fails (an I/O error) rolls the chunk back and fails every append in it.
 * On whichever connection it is given: the store's own, or a bulk writer thread's (sqlite-bulk-writer.ts).
 */
export function writeAppends(db: Database.Database, statements: EventStatements, requests: readonly AppendRequest[], chunk: number): Outcome[] {
  const outcomes: Outcome[] = [];
  for (let start = 0; start < requests.length; start += chunk) {
    const part = requests.slice(start, start + chunk);
    const results: Outcome[] = [];
    try {
      statements.begin.run();
      for (const request of part) {
        try {
          results.push({ ok: true, result: appendInTransaction(statements, request) });
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError || error instanceof EventIdConflictError)) throw error;
          results.push({ ok: false, error });
        }
      }
      statements.commit.run();
    } catch (error) {
      try {
        if (db.inTransaction) statements.rollback.run();
      } catch {
        // already out of the transaction
      }
      for (let i = 0; i < part.length; i++) outcomes.push({ ok: false, error });
      continue;
    }
    outcomes.push(...results);
  }
  return outcomes;
}
