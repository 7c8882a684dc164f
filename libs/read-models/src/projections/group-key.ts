import { SumRow } from '../read-model-store.port';

type GroupValue = string | number | boolean | null;

/** The values of some fields of a sum row, as an object (a missing field is null). */
export function groupOf<K extends string>(row: SumRow, fields: ReadonlyArray<{ name: K; field: string }>): Record<K, GroupValue> {
  const group = {} as Record<K, GroupValue>;
  for (const { name, field } of fields) group[name] = row[field] ?? null;
  return group;
}

/** Orders groups by their values, field by field, nulls last: answers come out in a stable, readable order. */
export function compareGroups<K extends string>(keys: readonly K[]) {
  return (a: Record<K, GroupValue>, b: Record<K, GroupValue>): number => {
    for (const key of keys) {
      const x = a[key];
      const y = b[key];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return String(x) < String(y) ? -1 : 1;
    }
    return 0;
  };
}
