/** A rate as a number with 4 decimals (0.1234 = 12.34 %); null when the denominator is 0 (no basis to say). */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** A summed field of a SumRow as a number: adapters may give null for a sum over documents that lack the field. */
export function numberField(row: Record<string, unknown>, field: string): number {
  const value = row[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
