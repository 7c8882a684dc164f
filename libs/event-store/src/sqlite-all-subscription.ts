import { StoredEvent, SubscriptionFilter } from './event-store.port';
import { DONE, PullSubscription } from './pull-subscription';

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

/**
 * subscribeToAll for SQLite. Catch-up and live are the same loop: read the next page after the cursor, hand it
 * out one event per next(), and once a read has reached the head, wait for a commit (or the poll timer, for
 * commits by other processes) before reading again. It never skips: SQLite has one writer at a time, so once
 * position P is visible every smaller committed position is visible too. It never duplicates: the cursor only
 * moves forward, and pulls are serialised.
 *
 * Pull-based: nothing is read until the consumer asks, and at most one page is held in memory. Ending and serialised
 * pulls: PullSubscription.
 */
export class SqliteAllSubscription extends PullSubscription<StoredEvent> {
  private page: StoredEvent[] = [];
  private index = 0;
  private cursor: bigint | null;
  /** The last position delivered or reported as a checkpoint. */
  private reported: bigint | null;
  private caughtUp = false;
  private readAtCommit = -1;

  constructor(
    private readonly source: AllStreamSource,
    private readonly options: AllSubscriptionOptions,
    onEnd: (subscription: SqliteAllSubscription) => void,
  ) {
    super(options.signal, onEnd as (subscription: PullSubscription<StoredEvent>) => void);
    this.cursor = options.after;
    this.reported = options.after;
    this.listen();
  }

  protected released(): void {
    this.page = [];
  }

  protected async pull(): Promise<IteratorResult<StoredEvent>> {
    try {
      while (!this.isEnded) {
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
