import { LEAD_SOURCES } from '@pipeline-ledger/domain';
import { z } from 'zod';
import { LEAD_SORT_FIELDS, LeadsListParams } from './leads-list.query';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './list-page';
import { dateParam, oneOfListParam, queryParamsObject, sortParam, textListParam, textParam, wholeNumberParam, windowCheck } from './query-params.fields';

/**
 * Query parameters of the lead list: `status` and `source` (comma-separated for several), `owner`, `company`,
 * `createdFrom` / `createdTo`, `q` (search), `sort` (default -createdAt: newest first), `page` (from 1), `pageSize`.
 */
export const leadsListParamsSchema: z.ZodType<LeadsListParams> = queryParamsObject({
  status: textListParam(80).optional(),
  source: oneOfListParam(LEAD_SOURCES).optional(),
  owner: textParam(200).optional(),
  company: textParam(200).optional(),
  createdFrom: dateParam.optional(),
  createdTo: dateParam.optional(),
  q: textParam(200).optional(),
  sort: sortParam(LEAD_SORT_FIELDS).default({ field: 'createdAt', direction: 'desc' }),
  page: wholeNumberParam(1, 1_000_000).default(1),
  pageSize: wholeNumberParam(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
}).superRefine(windowCheck('createdFrom', 'createdTo'));
