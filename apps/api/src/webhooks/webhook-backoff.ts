/** How long to wait before retrying a delivery that has failed `failures` times in a row (1 for the first retry). */
export interface BackoffSettings {
  /** The first retry's delay (before jitter). */
  baseMs: number;
  /** No delay is longer than this. */
  maxMs: number;
}

/**
 * Exponential backoff with jitter: base x 2^(failures-1), capped at maxMs, then drawn between half of that and all
 * of it ("equal jitter"), so that many subscriptions failing at once do not retry in lockstep, yet no retry comes
 * much sooner than the schedule says. `random` is injectable for tests (Math.random: [0, 1)).
 */
export function backoffDelayMs(failures: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 52); // 2^52 x any base is far past any cap
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
