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
