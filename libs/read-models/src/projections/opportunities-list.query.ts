import { Filter, FindResult } from '../read-model-store.port';
import { ListPage, ListPaging, ListSort, listPage, pageOfQuery } from './list-page';
import { OpportunityStatus } from './opportunity-events';
import { OPPORTUNITY_LIST, OpportunityListDocument } from './opportunities-list.projection';
import { FindRequest, dayWindowFilters, eqFilter, inFilter } from './query-request';

export const OPPORTUNITY_SORT_FIELDS = ['closeDate', 'amount', 'expectedRevenue', 'probability', 'name', 'stage', 'createdAt', 'updatedAt'] as const;
export type OpportunitySortField = (typeof OPPORTUNITY_SORT_FIELDS)[number];

export const OPPORTUNITY_STATUSES: readonly OpportunityStatus[] = ['open', 'won', 'lost'];

/** The opportunity list: by stage, status, owner, account and close window (inclusive, YYYY-MM-DD); `q` searches the name. */
export interface OpportunitiesListParams extends ListPaging {
  stage?: string[];
  status?: OpportunityStatus[];
  owner?: string;
  accountId?: string;
  closeFrom?: string;
  closeTo?: string;
  q?: string;
  sort: ListSort<OpportunitySortField>;
}

export function opportunitiesListQuery(params: OpportunitiesListParams): FindRequest {
  const filters: Filter[] = [
    ...inFilter('stage', params.stage),
    ...inFilter('status', params.status),
    ...eqFilter('owner', params.owner),
    ...eqFilter('accountId', params.accountId),
    ...dayWindowFilters('closeDate', params.closeFrom, params.closeTo),
  ];
  if (params.q !== undefined) filters.push({ fields: ['name'], op: 'contains', value: params.q });
  return { collection: OPPORTUNITY_LIST, query: { filters, ...pageOfQuery(params.sort, params) } };
}

export function opportunitiesListAnswer(result: FindResult, params: OpportunitiesListParams): ListPage<OpportunityListDocument> {
  return listPage<OpportunityListDocument>(result, params);
}
