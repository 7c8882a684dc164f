import { CounterIncrement } from '../read-model-store.port';

/**
 * Counter increments worked out as a difference: a projection says which counters an entity *contributes to* in
 * its state before and after an event, and the increments are after minus before. Moving an opportunity from one
 * stage, currency, owner or day to another, a lead from one owner to another, undoing a win on reopen: all are
 * the same subtraction, so no event type needs its own bookkeeping and nothing can be counted twice.
 */

type GroupValue = string | number | boolean | null;

/**
 * A counter document's id: its group values, unambiguous (JSON keeps null apart from "null" and "a|b" intact).
 * Exactly JSON.stringify(values), built by hand when no string needs escaping: projections make several ids per
 * event, and this is several times faster than the generic serializer.
 */
export function counterId(values: readonly GroupValue[]): string {
  let id = '[';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) id += ',';
    if (typeof value === 'string' && !NEEDS_ESCAPING.test(value)) id += '"' + value + '"';
    else id += JSON.stringify(value);
  }
  return id + ']';
}

/** What JSON.stringify escapes in a string: quote, backslash, control characters, lone surrogates (and we let it). */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Adds increments that hit the same counter together; drops fields that add 0, and counters left with nothing. */
export function mergeIncrements(increments: readonly CounterIncrement[]): CounterIncrement[] {
  const merged = new Map<string, CounterIncrement>();
  accumulate(merged, increments, 1);
  return nonZero(merged);
}

/**
 * What changes in the counters when an entity's contributions go from `before` to `after`. Runs for every event a
 * counting projection applies (a rebuild: hundreds of thousands), so it allocates one map and one object per
 * counter touched, and nothing per field.
 */
export function diffIncrements(before: readonly CounterIncrement[], after: readonly CounterIncrement[]): CounterIncrement[] {
  const merged = new Map<string, CounterIncrement>();
  accumulate(merged, before, -1);
  accumulate(merged, after, 1);
  return nonZero(merged);
}

function accumulate(merged: Map<string, CounterIncrement>, increments: readonly CounterIncrement[], sign: 1 | -1): void {
  for (const inc of increments) {
    const key = inc.collection + '\u0000' + inc.id;
    let entry = merged.get(key);
    if (!entry) {
      entry = { collection: inc.collection, id: inc.id, group: inc.group, add: {} };
      merged.set(key, entry);
    }
    const add = entry.add as Record<string, number>;
    for (const field in inc.add) add[field] = (add[field] ?? 0) + sign * inc.add[field];
  }
}

function nonZero(merged: Map<string, CounterIncrement>): CounterIncrement[] {
  const result: CounterIncrement[] = [];
  for (const inc of merged.values()) {
    let zeros = 0;
    let fields = 0;
    for (const field in inc.add) {
      fields++;
      if (inc.add[field] === 0) zeros++;
    }
    if (zeros === fields) continue;
    if (zeros === 0) {
      result.push(inc);
      continue;
    }
    const add: Record<string, number> = {};
    for (const field in inc.add) if (inc.add[field] !== 0) add[field] = inc.add[field];
    result.push({ ...inc, add });
  }
  return result;
}

