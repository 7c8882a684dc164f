export const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * What every adapter's subscribeToAll iterator shares: pulls serialised (a consumer calling next() twice without
 * awaiting never reads the same page twice), and an end (return(), the caller's signal, or the store closing) that also
 * ends a next() waiting for live events, instead of queueing behind it as an async generator's return() would.
 * A subclass reads in pull(), watches `stop` to cut its waits short, and lets go of what it holds in released().
 * It calls listen() last in its constructor, so that an already aborted signal ends a fully made subscription.
 */
export abstract class PullSubscription<T> implements AsyncIterableIterator<T> {
  /** Aborted when the subscription ends. */
  protected readonly stop = new AbortController();
  private ended = false;
  private pulling: Promise<unknown> = Promise.resolve();

  protected constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly onEnd: (subscription: PullSubscription<T>) => void,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const result = this.pulling.then(() => (this.ended ? DONE : this.pull()));
    this.pulling = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<T>> {
    this.end();
    return DONE;
  }

  /** Ends the subscription: pending and later next() calls resolve done. Safe to call more than once. */
  readonly end = (): void => {
    if (this.ended) return;
    this.ended = true;
    this.stop.abort();
    this.released();
    this.signal?.removeEventListener('abort', this.end);
    this.onEnd(this);
  };

  /** The next event, or DONE once ended; throws (after end()) what the subscription cannot get past. */
  protected abstract pull(): Promise<IteratorResult<T>>;

  /** Lets go of what the subscription holds (a page, a server subscription); called once, on end. */
  protected abstract released(): void;

  protected listen(): void {
    if (this.signal?.aborted) this.end();
    else this.signal?.addEventListener('abort', this.end, { once: true });
  }
}
