/**
 * Tells waiting subscriptions "something may have been committed, look again".
 * In-process commits call notify(); commits by another process on the same file cannot, so every wait also ends
 * after a poll interval. A wait holds a timer and an abort listener only while it is pending, and both are
 * removed when it ends, so an idle store keeps nothing alive once its subscriptions have ended.
 */
export class CommitNotifier {
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private notified = 0;

  /** How many times notify() has run: a reader that saw the same count before and after has missed nothing. */
  get commitCount(): number {
    return this.notified;
  }

  /** Resolves on the next notify(), after `timeoutMs`, when `signal` aborts, or on close(); never rejects. */
  waitForCommit(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.closed || signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      signal.addEventListener('abort', wake, { once: true });
      this.waiters.add(wake);
    });
  }

  notify(): void {
    this.notified++;
    for (const wake of [...this.waiters]) wake();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }
}
