import type { LeadSource } from '@pipeline-ledger/domain';
import { Filter, FindResult } from '../read-model-store.port';
import { LEAD_LIST, LeadListDocument } from './leads-list.projection';
import { ListPage, ListPaging, ListSort, listPage, pageOfQuery } from './list-page';
import { FindRequest, dayWindowFilters, eqFilter, inFilter } from './query-request';

export const LEAD_SORT_FIELDS = ['createdAt', 'updatedAt', 'lastName', 'company', 'status', 'source', 'owner'] as const;
export type LeadSortField = (typeof LEAD_SORT_FIELDS)[number];

/** The lead list: every filter optional; `q` searches name, company and email (case-insensitive substring). */
export interface LeadsListParams extends ListPaging {
  /** Any of these statuses (statuses are configurable, so any name). */
  status?: string[];
  source?: LeadSource[];
  owner?: string;
  /** Case-insensitive substring of the company, so "acme" finds "Acme Ltd". */
  company?: string;
  /** Created window, inclusive, YYYY-MM-DD (UTC days). */
  createdFrom?: string;
  createdTo?: string;
  q?: string;
  sort: ListSort<LeadSortField>;
}

/** Fields the text search looks in: `name` is "first last". */
export const LEAD_SEARCH_FIELDS = ['name', 'company', 'email'] as const;

export function leadsListQuery(params: LeadsListParams): FindRequest {
  const filters: Filter[] = [
    ...inFilter('status', params.status),
    ...inFilter('source', params.source),
    ...eqFilter('owner', params.owner),
    ...dayWindowFilters('createdDay', params.createdFrom, params.createdTo),
  ];
  if (params.company !== undefined) filters.push({ fields: ['company'], op: 'contains', value: params.company });
  if (params.q !== undefined) filters.push({ fields: LEAD_SEARCH_FIELDS, op: 'contains', value: params.q });
  return { collection: LEAD_LIST, query: { filters, ...pageOfQuery(params.sort, params) } };
}

export function leadsListAnswer(result: FindResult, params: LeadsListParams): ListPage<LeadListDocument> {
  return listPage<LeadListDocument>(result, params);
}
