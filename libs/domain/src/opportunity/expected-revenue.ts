/**
 * Expected revenue ("weighted pipeline") = amount x probability / 100, rounded half up to whole minor units;
 * null while the amount is unknown. Integers go through BigInt so that large amounts (up to MAX_SAFE_INTEGER minor
 * units) lose no precision in the multiplication; anything else (never produced by the decider) is rounded as is.
 * When the product is a safe integer (every realistic amount: up to 90 trillion minor units at 100 %) the same
 * rounding is done exactly in doubles: projections call this for every opportunity event of a rebuild, and BigInt
 * arithmetic is several times slower.
 */
export function expectedRevenue(amount: number | null, probability: number | null): number | null {
  if (amount === null || probability === null) return null;
  if (!Number.isSafeInteger(amount) || !Number.isInteger(probability) || amount < 0 || probability < 0) {
    return Math.round((amount * probability) / 100);
  }
  const scaled = amount * probability + 50;
  if (scaled <= Number.MAX_SAFE_INTEGER) {
    // Exact: scaled / 100 < 2^47, where doubles are at most 2^-6 apart, and it is a whole number of hundredths, so
    // its rounding (at most 2^-7 off) never reaches the next integer.
    return Math.floor(scaled / 100);
  }
  return Number((BigInt(amount) * BigInt(probability) + 50n) / 100n);
}
