import { CounterIncrement } from '../read-model-store.port';

/**
 * Counter increments worked out as a difference: a projection says which counters an entity *contributes to* in
 * its state before and after an event, and the increments are after minus before. Moving an opportunity from one
 * stage, currency, owner or day to another, a lead from one owner to another, undoing a win on reopen: all are
 * the same subtraction, so no event type needs its own bookkeeping and nothing can be counted twice.
 */

type GroupValue = string | number | boolean | null;

/** A counter document's id: its group values, unambiguous (JSON keeps null apart from "null" and "a|b" intact). */
export function counterId(values: readonly GroupValue[]): string {
  return JSON.stringify(values);
}

/** Adds increments that hit the same counter together; drops fields that add 0, and counters left with nothing. */
export function mergeIncrements(increments: readonly CounterIncrement[]): CounterIncrement[] {
  const merged = new Map<string, CounterIncrement>();
  for (const inc of increments) {
    const key = `${inc.collection}\u0000${inc.id}`;
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, { collection: inc.collection, id: inc.id, group: inc.group, add: { ...inc.add } });
      continue;
    }
    for (const [field, n] of Object.entries(inc.add)) existing.add[field] = (existing.add[field] ?? 0) + n;
  }
  const result: CounterIncrement[] = [];
  for (const inc of merged.values()) {
    const add = Object.fromEntries(Object.entries(inc.add).filter(([, n]) => n !== 0));
    if (Object.keys(add).length) result.push({ ...inc, add });
  }
  return result;
}

/** What changes in the counters when an entity's contributions go from `before` to `after`. */
export function diffIncrements(before: readonly CounterIncrement[], after: readonly CounterIncrement[]): CounterIncrement[] {
  return mergeIncrements([...before.map(negate), ...after]);
}

function negate(inc: CounterIncrement): CounterIncrement {
  return { ...inc, add: Object.fromEntries(Object.entries(inc.add).map(([field, n]) => [field, -n])) };
}
