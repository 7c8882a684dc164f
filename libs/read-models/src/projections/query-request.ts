import { Filter, FindQuery, SumQuery } from '../read-model-store.port';

/**
 * What a query function hands to the HTTP layer: the collection to read and the port query, so that the store
 * call is `store.sum(q.collection, q.query)` (or `find`) and everything else stays pure and testable.
 */
export interface SumRequest {
  collection: string;
  query: SumQuery;
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
