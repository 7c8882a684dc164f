import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './list-page';
import { OPPORTUNITY_SORT_FIELDS, OPPORTUNITY_STATUSES, OpportunitiesListParams } from './opportunities-list.query';
import { dateParam, oneOfListParam, queryParamsObject, sortParam, textListParam, textParam, wholeNumberParam, windowCheck } from './query-params.fields';

/**
 * Query parameters of the opportunity list: `stage` and `status` (open, won, lost; comma-separated for several),
 * `owner`, `accountId`, `closeFrom` / `closeTo`, `q` (name search), `sort` (default closeDate: soonest first),
 * `page` (from 1), `pageSize`.
 */
export const opportunitiesListParamsSchema: z.ZodType<OpportunitiesListParams> = queryParamsObject({
  stage: textListParam(80).optional(),
  status: oneOfListParam(OPPORTUNITY_STATUSES).optional(),
  owner: textParam(200).optional(),
  accountId: textParam(100).optional(),
  closeFrom: dateParam.optional(),
  closeTo: dateParam.optional(),
  q: textParam(200).optional(),
  sort: sortParam(OPPORTUNITY_SORT_FIELDS).default({ field: 'closeDate', direction: 'asc' }),
  page: wholeNumberParam(1, 1_000_000).default(1),
  pageSize: wholeNumberParam(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
}).superRefine(windowCheck('closeFrom', 'closeTo'));
