import { Filter, FindQuery, SumQuery, SumRow } from '../read-model-store.port';

/**
 * What a query function hands to the HTTP layer: the collection to read and the port query, so that the store
 * call is `store.sum(q.collection, q.query)` (or `find`) and everything else stays pure and testable.
 */
export interface SumRequest {
  collection: string;
  query: SumQuery;
}

/**
 * Several sums over disjoint slices of the same counts, whose rows add up group by group: an analytics window read
 * as its whole months from a monthly rollup and its first and last partial months from daily counters, so that the
 * rows read grow with neither the number of leads nor the length of the window.
 */
export interface SumPlan {
  parts: SumRequest[];
  groupBy: readonly string[];
  sum: readonly string[];
}

/** What runs a plan: the ReadModelStore (one snapshot for all parts), or the in-memory store of the specs. */
export interface SumSource {
  sumEach(requests: readonly SumRequest[]): Promise<SumRow[][]>;
}

/** Runs the parts of a plan (from one snapshot of the store) and adds their rows up by group. */
export async function runSumPlan(source: SumSource, plan: SumPlan): Promise<SumRow[]> {
  const results = await source.sumEach(plan.parts);
  if (results.length === 1) return results[0] as SumRow[];
  const merged = new Map<string, SumRow>();
  for (const rows of results) {
    for (const row of rows) {
      const key = JSON.stringify(plan.groupBy.map((field) => row[field] ?? null));
      const existing = merged.get(key);
      if (!existing) {
        merged.set(key, { ...row });
        continue;
      }
      for (const field of plan.sum) existing[field] = ((existing[field] as number) ?? 0) + ((row[field] as number) ?? 0);
      existing.documents += row.documents;
    }
  }
  return [...merged.values()];
}

/**
 * A window of days (inclusive, YYYY-MM-DD, either end open) cut into the whole months it covers (YYYY-MM, either
 * end open; null when it covers none) and the days of the partial months at its ends (at most two ranges, each
 * within one month).
 */
export interface WindowSlices {
  months: { from?: string; to?: string } | null;
  days: Array<{ from: string; to: string }>;
}

export function sliceWindow(from: string | undefined, to: string | undefined): WindowSlices {
  const startsMonth = from === undefined || from.endsWith('-01');
  const endsMonth = to === undefined || to === lastDayOfMonth(to.slice(0, 7));
  if (from !== undefined && to !== undefined && from.slice(0, 7) === to.slice(0, 7) && !(startsMonth && endsMonth)) {
    return { months: null, days: [{ from, to }] };
  }
  const days: WindowSlices['days'] = [];
  let monthFrom = from?.slice(0, 7);
  let monthTo = to?.slice(0, 7);
  if (from !== undefined && !startsMonth) {
    days.push({ from, to: lastDayOfMonth(from.slice(0, 7)) });
    monthFrom = addMonths(from.slice(0, 7), 1);
  }
  if (to !== undefined && !endsMonth) {
    days.push({ from: `${to.slice(0, 7)}-01`, to });
    monthTo = addMonths(to.slice(0, 7), -1);
  }
  const none = (monthFrom !== undefined && monthTo !== undefined && monthFrom > monthTo) || monthFrom === BEYOND_LAST || monthTo === BEFORE_FIRST;
  const months = none ? null : { from: monthFrom, to: monthTo };
  return { months, days };
}

/** The last day (YYYY-MM-DD) of a month (YYYY-MM). */
export function lastDayOfMonth(month: string): string {
  const date = new Date(0);
  date.setUTCFullYear(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0); // day 0 of the next month (years < 100 too)
  const day = date.getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

const BEYOND_LAST = '9999-13';
const BEFORE_FIRST = '0000-00';

/** The month n months on (YYYY-MM); past year 9999 or before year 0, a bound no month reaches. */
function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  const year = Math.floor(index / 12);
  if (year > 9999) return BEYOND_LAST;
  if (year < 0) return BEFORE_FIRST;
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export interface FindRequest {
  collection: string;
  query: FindQuery;
}

/** Filters for an inclusive window of days (YYYY-MM-DD) on a field; an open end adds no filter. */
export function dayWindowFilters(field: string, from: string | undefined, to: string | undefined): Filter[] {
  const filters: Filter[] = [];
  if (from !== undefined) filters.push({ field, op: 'gte', value: from });
  if (to !== undefined) filters.push({ field, op: 'lte', value: to });
  return filters;
}

/** An equality filter when the value is given. */
export function eqFilter(field: string, value: string | undefined): Filter[] {
  return value === undefined ? [] : [{ field, op: 'eq', value }];
}

/** A membership filter when at least one value is given. */
export function inFilter(field: string, values: readonly string[] | undefined): Filter[] {
  return values && values.length ? [{ field, op: 'in', value: values }] : [];
}
