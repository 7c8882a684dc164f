import { FindQuery, FindResult, ReadModelDocument } from '../read-model-store.port';

/** Sorting of a list by one field; ties are broken by id, so pages never overlap nor skip a row. */
export interface ListSort<F extends string> {
  field: F;
  direction: 'asc' | 'desc';
}

/** Paging: `page` counts from 1. */
export interface ListPaging {
  page: number;
  pageSize: number;
}

export interface ListPage<T> {
  items: T[];
  page: number;
  pageSize: number;
  /** Rows matching the filters in all, over every page. */
  total: number;
  totalPages: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Sort, limit and offset of a find query for one page. */
export function pageOfQuery<F extends string>(sort: ListSort<F>, paging: ListPaging): Pick<FindQuery, 'sort' | 'limit' | 'offset'> {
  return {
    sort: [{ field: sort.field, direction: sort.direction }, { field: 'id', direction: 'asc' }],
    limit: paging.pageSize,
    offset: (paging.page - 1) * paging.pageSize,
  };
}

/** The page of the answer. Documents are the projection's own, so their shape is the list's document type. */
export function listPage<T extends ReadModelDocument>(result: FindResult, paging: ListPaging): ListPage<T> {
  return {
    items: result.documents as T[],
    page: paging.page,
    pageSize: paging.pageSize,
    total: result.total,
    totalPages: Math.ceil(result.total / paging.pageSize),
  };
}
