/**
 * Expected revenue ("weighted pipeline") = amount x probability / 100, rounded half up to whole minor units;
 * null while the amount is unknown. Integers go through BigInt so that large amounts (up to MAX_SAFE_INTEGER minor
 * units) lose no precision in the multiplication; anything else (never produced by the decider) is rounded as is.
 */
export function expectedRevenue(amount: number | null, probability: number | null): number | null {
  if (amount === null || probability === null) return null;
  if (!Number.isSafeInteger(amount) || !Number.isInteger(probability) || amount < 0 || probability < 0) {
    return Math.round((amount * probability) / 100);
  }
  return Number((BigInt(amount) * BigInt(probability) + 50n) / 100n);
}
