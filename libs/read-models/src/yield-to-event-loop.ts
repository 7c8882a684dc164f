/**
 * Lets timers and I/O run. The embedded SQLite stores are synchronous behind their async signatures, so a long
 * piece of work (a rebuild, a catch-up, building indexes) that only awaits them is one unbroken chain of microtasks:
 * an api running the projector in-process would answer no request until it finished. Awaiting this between steps
 * lets requests in.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
