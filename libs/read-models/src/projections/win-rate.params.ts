import { LEAD_SOURCES } from '@pipeline-ledger/domain';
import { z } from 'zod';
import { dateParam, oneOfListParam, queryParamsObject, textParam, timeBasisParam, windowCheck } from './query-params.fields';
import { WIN_RATE_GROUP_BY, WinRateParams } from './win-rate.query';

/**
 * Query parameters of win rate: `timeBasis` (occurred, the default, or recorded: whose close days), the window
 * `from` / `to` on close days, `groupBy` (owner, source), filters `owner`, `source`.
 */
export const winRateParamsSchema: z.ZodType<WinRateParams> = queryParamsObject({
  timeBasis: timeBasisParam,
  from: dateParam.optional(),
  to: dateParam.optional(),
  groupBy: oneOfListParam(WIN_RATE_GROUP_BY).default([]),
  owner: textParam(200).optional(),
  source: z.enum(LEAD_SOURCES, { error: `must be one of ${LEAD_SOURCES.join(', ')}` }).optional(),
}).superRefine(windowCheck('from', 'to'));
