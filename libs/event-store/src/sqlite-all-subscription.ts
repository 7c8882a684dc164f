import { StoredEvent } from './event-store.port';

/** What a subscription needs from the store. */
export interface AllStreamSource {
  /**
   * One page of the global stream strictly after `after`. Synchronous on purpose: between reading an empty page
   * and registering the wait there is no await, so a commit cannot slip in between unnoticed.
   */
  readPage(after: bigint | null, maxCount: number): StoredEvent[];
  waitForCommit(timeoutMs: number, signal: AbortSignal): Promise<void>;
}

export interface AllSubscriptionOptions {
  after: bigint | null;
  signal: AbortSignal | undefined;
  pageSize: number;
  pollIntervalMs: number;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * subscribeToAll for SQLite. Catch-up and live are the same loop: read the next page after the checkpoint,
 * hand it out one event per next(), and when a read comes back empty wait for a commit (or the poll timer).
 * It never skips: SQLite has one writer at a time, so once position P is visible every smaller committed
 * position is visible too. It never duplicates: the checkpoint only moves forward, and pulls are serialised.
 *
 * Pull-based: nothing is read until the consumer asks, and at most one page is held in memory.
 * A hand-written iterator rather than an async generator so that return() (or an abort) also ends a next()
 * that is waiting for live events, instead of queueing behind it.
 */
export class SqliteAllSubscription implements AsyncIterableIterator<StoredEvent> {
  private page: StoredEvent[] = [];
  private index = 0;
  private checkpoint: bigint | null;
  private ended = false;
  /** Aborted when the subscription ends, which cuts short a pending wait. */
  private readonly stop = new AbortController();
  private pulling: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: AllStreamSource,
    private readonly options: AllSubscriptionOptions,
    private readonly onEnd: (subscription: SqliteAllSubscription) => void,
  ) {
    this.checkpoint = options.after;
    if (options.signal?.aborted) this.end();
    else options.signal?.addEventListener('abort', this.end, { once: true });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StoredEvent>> {
    // A consumer calling next() twice without awaiting must not read the same page twice.
    const result = this.pulling.then(() => this.pull());
    this.pulling = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<StoredEvent>> {
    this.end();
    return DONE;
  }

  /** Ends the subscription: pending and later next() calls resolve done. Safe to call more than once. */
  readonly end = (): void => {
    if (this.ended) return;
    this.ended = true;
    this.page = [];
    this.stop.abort();
    this.options.signal?.removeEventListener('abort', this.end);
    this.onEnd(this);
  };

  private async pull(): Promise<IteratorResult<StoredEvent>> {
    try {
      while (!this.ended) {
        if (this.index < this.page.length) return { done: false, value: this.page[this.index++] };
        this.page = this.source.readPage(this.checkpoint, this.options.pageSize);
        this.index = 0;
        if (this.page.length > 0) {
          this.checkpoint = this.page[this.page.length - 1].position;
          continue;
        }
        await this.source.waitForCommit(this.options.pollIntervalMs, this.stop.signal);
      }
      return DONE;
    } catch (error) {
      this.end();
      throw error;
    }
  }
}
