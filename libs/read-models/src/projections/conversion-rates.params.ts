import { LEAD_SOURCES } from '@pipeline-ledger/domain';
import { z } from 'zod';
import { CONVERSION_BASES, CONVERSION_GROUP_BY, ConversionRatesParams } from './conversion-rates.query';
import { dateParam, oneOfListParam, queryParamsObject, textParam, timeBasisParam, windowCheck } from './query-params.fields';

/**
 * Query parameters of conversion rates: `basis` (cohort, the default, or period), `timeBasis` (occurred, the
 * default, or recorded: whose days the window and cohortMonth are), the window `from` / `to` (inclusive), `groupBy`
 * (comma-separated: source, owner, campaign, cohortMonth; none gives one total), and the optional filters `source`,
 * `owner`, `campaign`.
 */
export const conversionRatesParamsSchema: z.ZodType<ConversionRatesParams> = queryParamsObject({
  basis: z.enum(CONVERSION_BASES, { error: `must be one of ${CONVERSION_BASES.join(', ')}` }).default('cohort'),
  timeBasis: timeBasisParam,
  from: dateParam.optional(),
  to: dateParam.optional(),
  groupBy: oneOfListParam(CONVERSION_GROUP_BY).default([]),
  source: z.enum(LEAD_SOURCES, { error: `must be one of ${LEAD_SOURCES.join(', ')}` }).optional(),
  owner: textParam(200).optional(),
  campaign: textParam(200).optional(),
}).superRefine(windowCheck('from', 'to'));
