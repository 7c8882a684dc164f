import { isBlank } from './validation';

/**
 * The "merge never overwrites" rule of lead conversion: of the proposed values, keeps those for fields that are
 * currently empty (null or blank) and that bring a non-blank text. Only the listed keys are looked at.
 */
export function fillEmpty<K extends string>(
  current: Readonly<Record<K, string | null>>,
  proposed: Readonly<Partial<Record<K, string | null>>>,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const filled: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = proposed[key];
    if (isBlank(current[key]) && typeof value === 'string' && !isBlank(value)) filled[key] = value;
  }
  return filled;
}

/** Applies a recorded merge to a record's details: only the listed fields, only text values. */
export function applyFilled<D extends object, K extends keyof D & string>(
  details: D | null,
  filled: Readonly<Partial<Record<K, unknown>>>,
  keys: readonly K[],
): D | null {
  if (!details) return details;
  const next = { ...details };
  for (const key of keys) {
    const value = filled[key];
    if (typeof value === 'string') Object.assign(next, { [key]: value });
  }
  return next;
}

/** The leads merged into a record, each once, in the order they came. */
export function withLead(leadIds: readonly string[], leadId: string): string[] {
  return leadIds.includes(leadId) ? [...leadIds] : [...leadIds, leadId];
}
