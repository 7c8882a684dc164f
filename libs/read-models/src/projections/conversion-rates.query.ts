import type { LeadSource } from '@pipeline-ledger/domain';
import { Filter, SumRow } from '../read-model-store.port';
import { compareGroups, groupOf } from './group-key';
import { CONVERSION_SUM_FIELDS, CONVERSION_TIERS, FUNNEL_FIELDS, FunnelField } from './lead-conversion.counters';
import { SumPlan, SumRequest, dayWindowFilters, eqFilter, sliceWindow } from './query-request';
import { numberField, rate } from './rate';
import { DEFAULT_TIME_BASIS, TimeBasis, countedForFilter } from './time-basis';
import { TIME_TO_CONVERT_FIELDS, TimeToConvert, timeToConvertFromHistogram } from './time-to-convert.histogram';

export const CONVERSION_BASES = ['cohort', 'period'] as const;
export type ConversionBasis = (typeof CONVERSION_BASES)[number];

export const CONVERSION_GROUP_BY = ['source', 'owner', 'campaign', 'cohortMonth'] as const;
export type ConversionGroupBy = (typeof CONVERSION_GROUP_BY)[number];

/**
 * Conversion rates over a window of days (inclusive, YYYY-MM-DD; an open end is unbounded), on one basis, grouped
 * by any combination of source, owner, campaign and month, optionally for one source, owner or campaign. The days
 * and months are those of `timeBasis` (time-basis.ts): business days (occurred, the default) or recorded days.
 */
export interface ConversionRatesParams {
  basis: ConversionBasis;
  timeBasis?: TimeBasis;
  from?: string;
  to?: string;
  groupBy: ConversionGroupBy[];
  source?: LeadSource;
  owner?: string;
  campaign?: string;
}

export type FunnelCounts = Record<FunnelField, number>;

/** Rates over leads created (4 decimals; null when no lead was created). */
export interface ConversionRates {
  contacted: number | null;
  qualified: number | null;
  /** Disqualified / created. */
  disqualification: number | null;
  /** Converted (with or without an opportunity) / created. */
  leadToContact: number | null;
  /** Converted with an opportunity / created. */
  leadToOpportunity: number | null;
}

export interface ConversionFigures {
  counts: FunnelCounts;
  rates: ConversionRates;
  timeToConvert: TimeToConvert;
}

export interface ConversionGroup extends ConversionFigures {
  /** The group's values, one per groupBy entry (null: a lead without a campaign, say). */
  group: Partial<Record<ConversionGroupBy, string | null>>;
}

export interface ConversionRatesAnswer {
  basis: ConversionBasis;
  /** Whose days the window and cohortMonth are: when it happened in the business, or when the store recorded it. */
  timeBasis: TimeBasis;
  /** What the numbers count, in words. */
  basisDescription: string;
  window: { from: string | null; to: string | null };
  filters: { source: string | null; owner: string | null; campaign: string | null };
  groupBy: ConversionGroupBy[];
  groups: ConversionGroup[];
  total: ConversionFigures;
}

/** groupBy names to counter fields: a cohort month is the `month` of the counter's day. */
const GROUP_FIELDS: Record<ConversionGroupBy, string> = { source: 'source', owner: 'owner', campaign: 'campaign', cohortMonth: 'month' };

/**
 * The sums over conversion counters. Cohort: the counters of the days the leads were created in the window (their
 * counts include everything that became of them, at any date). Period: the counters of the days in the window, in
 * which `created` counts leads created that day and the other counts what happened that day.
 *
 * Which counters: the coarsest tier that has every dimension the query groups or filters by (by source, owner or
 * campaign alone when only one of them is asked about), and in it the window's whole months from the monthly rollup and the
 * days of a partial first or last month from the daily counters. The rows read grow with neither the number of
 * leads nor the length of the window.
 */
export function conversionRatesQuery(params: ConversionRatesParams): SumPlan {
  const asked = new Set<string>([...params.groupBy.map((g) => GROUP_FIELDS[g]), ...(['source', 'owner', 'campaign'] as const).filter((f) => params[f] !== undefined)]);
  const tiers = CONVERSION_TIERS[params.basis];
  const tier = tiers.find((t) => [...asked].every((field) => field === 'month' || (t.dimensions as readonly string[]).includes(field))) ?? tiers[tiers.length - 1]!;
  const groupBy = params.groupBy.map((g) => GROUP_FIELDS[g]);
  const dimensions = [...eqFilter('source', params.source), ...eqFilter('owner', params.owner), ...eqFilter('campaign', params.campaign), countedForFilter(params.timeBasis)];
  const part = (collection: string, window: Filter[]): SumRequest => ({ collection, query: { filters: [...window, ...dimensions], groupBy, sum: CONVERSION_SUM_FIELDS } });
  const slices = sliceWindow(params.from, params.to);
  const parts: SumRequest[] = [];
  if (slices.months) parts.push(part(tier.monthly, dayWindowFilters('month', slices.months.from, slices.months.to)));
  for (const days of slices.days) parts.push(part(tier.daily, dayWindowFilters('day', days.from, days.to)));
  return { parts, groupBy, sum: CONVERSION_SUM_FIELDS };
}

export function conversionRatesAnswer(rows: readonly SumRow[], params: ConversionRatesParams): ConversionRatesAnswer {
  const fields = params.groupBy.map((name) => ({ name, field: GROUP_FIELDS[name] }));
  const groups = rows
    .map((row) => ({ group: groupOf(row, fields) as Record<ConversionGroupBy, string | null>, row }))
    .sort((a, b) => compareGroups(params.groupBy)(a.group, b.group))
    .map(({ group, row }) => ({ group, ...figures([row]) }));
  return {
    basis: params.basis,
    timeBasis: params.timeBasis ?? DEFAULT_TIME_BASIS,
    basisDescription: describeBasis(params),
    window: { from: params.from ?? null, to: params.to ?? null },
    filters: { source: params.source ?? null, owner: params.owner ?? null, campaign: params.campaign ?? null },
    groupBy: params.groupBy,
    groups,
    total: figures(rows),
  };
}

/** Counts, rates and time to convert of some rows added together (histograms add up, so percentiles do too). */
function figures(rows: readonly SumRow[]): ConversionFigures {
  const counts = Object.fromEntries(FUNNEL_FIELDS.map((f) => [f, rows.reduce((sum, row) => sum + numberField(row, f), 0)])) as FunnelCounts;
  const histogram = TIME_TO_CONVERT_FIELDS.map((f) => rows.reduce((sum, row) => sum + numberField(row, f), 0));
  return {
    counts,
    rates: {
      contacted: rate(counts.contacted, counts.created),
      qualified: rate(counts.qualified, counts.created),
      disqualification: rate(counts.disqualified, counts.created),
      leadToContact: rate(counts.converted, counts.created),
      leadToOpportunity: rate(counts.convertedWithOpportunity, counts.created),
    },
    timeToConvert: timeToConvertFromHistogram(histogram),
  };
}

function describeBasis(params: ConversionRatesParams): string {
  const window = `${params.from ?? 'the beginning'} to ${params.to ?? 'today'}`;
  if ((params.timeBasis ?? DEFAULT_TIME_BASIS) === 'recorded') {
    if (params.basis === 'cohort') {
      return (
        `cohort: the leads recorded from ${window} (the day the store recorded their creation, not their business date), ` +
        'and what became of them at any date since (contacted ever; qualified, disqualified as they stand now; converted); ' +
        'cohortMonth is the month they were recorded'
      );
    }
    return (
      `period: contacts, qualifications, disqualifications and conversions recorded from ${window}, ` +
      `over the leads recorded from ${window} (by the day the store recorded each, not its business date); cohortMonth is the month they were recorded in`
    );
  }
  if (params.basis === 'cohort') {
    return (
      `cohort: the leads created from ${window}, and what became of them at any date since ` +
      '(contacted ever; qualified, disqualified as they stand now; converted); cohortMonth is the month they were created'
    );
  }
  return (
    `period: contacts, qualifications, disqualifications and conversions dated from ${window}, ` +
    `over the leads created from ${window}; cohortMonth is the month they are dated in`
  );
}
