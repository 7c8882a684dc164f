import { StoredEvent, SubscriptionFilter } from './event-store.port';

/** One read of the global stream. */
export interface AllStreamPage {
  events: StoredEvent[];
  /** The position the read covered up to (with a filter, past events it skipped); null if nothing is stored. */
  scannedTo: bigint | null;
  /** True when the read reached the end of what was committed at the time. */
  reachedHead: boolean;
}

/** What a subscription needs from the store. */
export interface AllStreamSource {
  /**
   * One page of the global stream strictly after `after`. Synchronous on purpose: between reading and deciding to
   * wait there is no await, so an in-process commit cannot slip in between unnoticed.
   */
  readPage(after: bigint | null, maxCount: number, filter: SubscriptionFilter | undefined): AllStreamPage;
  /** Counts in-process commits: unchanged since the last read that reached the head means nothing new here. */
  commitCount(): number;
  waitForCommit(timeoutMs: number, signal: AbortSignal): Promise<void>;
}

export interface AllSubscriptionOptions {
  after: bigint | null;
  signal: AbortSignal | undefined;
  pageSize: number;
  pollIntervalMs: number;
  filter: SubscriptionFilter | undefined;
  liveDelayMs: number;
  onCheckpoint: ((position: bigint) => void) | undefined;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * subscribeToAll for SQLite. Catch-up and live are the same loop: read the next page after the cursor, hand it
 * out one event per next(), and once a read has reached the head, wait for a commit (or the poll timer, for
 * commits by other processes) before reading again. It never skips: SQLite has one writer at a time, so once
 * position P is visible every smaller committed position is visible too. It never duplicates: the cursor only
 * moves forward, and pulls are serialised.
 *
 * Pull-based: nothing is read until the consumer asks, and at most one page is held in memory.
 * A hand-written iterator rather than an async generator so that return() (or an abort) also ends a next()
 * that is waiting for live events, instead of queueing behind it.
 */
export class SqliteAllSubscription implements AsyncIterableIterator<StoredEvent> {
  private page: StoredEvent[] = [];
  private index = 0;
  private cursor: bigint | null;
  /** The last position delivered or reported as a checkpoint. */
  private reported: bigint | null;
  private caughtUp = false;
  private readAtCommit = -1;
  private ended = false;
  /** Aborted when the subscription ends, which cuts short a pending wait. */
  private readonly stop = new AbortController();
  private pulling: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: AllStreamSource,
    private readonly options: AllSubscriptionOptions,
    private readonly onEnd: (subscription: SqliteAllSubscription) => void,
  ) {
    this.cursor = options.after;
    this.reported = options.after;
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
        if (this.index < this.page.length) {
          const event = this.page[this.index++]!;
          this.reported = event.position;
          return { done: false, value: event };
        }
        if (this.cursor !== null && (this.reported === null || this.cursor > this.reported)) {
          // The page is delivered and the scan went past it (skipping what the filter leaves out): a checkpoint.
          this.reported = this.cursor;
          this.options.onCheckpoint?.(this.cursor);
        }
        if (this.caughtUp && this.source.commitCount() === this.readAtCommit) {
          // Nothing committed here since a read that reached the head: no need to look before something is.
          await this.source.waitForCommit(this.options.pollIntervalMs, this.stop.signal);
          if (this.options.liveDelayMs > 0) await delay(this.options.liveDelayMs, this.stop.signal);
          this.caughtUp = false; // woken by a commit, the poll timer (another process may have written) or the end
          continue;
        }
        this.readAtCommit = this.source.commitCount();
        const read = this.source.readPage(this.cursor, this.options.pageSize, this.options.filter);
        this.page = read.events;
        this.index = 0;
        this.cursor = read.scannedTo ?? this.cursor;
        this.caughtUp = read.reachedHead;
      }
      return DONE;
    } catch (error) {
      this.end();
      throw error;
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no timer behind. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
