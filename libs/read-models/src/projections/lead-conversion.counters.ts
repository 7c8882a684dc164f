import { CounterIncrement } from '../read-model-store.port';
import { monthOf } from './business-time';
import { counterId } from './counter-increments';
import { TIME_TO_CONVERT_FIELDS } from './time-to-convert.histogram';

export const CONVERSION_LEADS = 'conversion_leads';
export const CONVERSION_COHORTS = 'conversion_cohorts';
export const CONVERSION_PERIODS = 'conversion_periods';
/** Monthly rollups of the two (same counts, keyed by month instead of day): for windows of whole months. */
export const CONVERSION_COHORTS_MONTHLY = 'conversion_cohorts_monthly';
export const CONVERSION_PERIODS_MONTHLY = 'conversion_periods_monthly';
export const CONVERSION_MONTHLY_INDEXES: readonly string[] = ['month', 'source', 'owner', 'campaign'];

/**
 * What the conversion counters remember of one lead: its group (source, current owner, campaign) and, for each
 * step of the funnel it stands at, the business day it got there. That is enough to take every count it
 * contributes back out of one group and put it into another when the group changes.
 *
 * What each flag means (the same on both bases, so that the period counts of all days add up to the cohort counts):
 * - contacted: it was ever contacted (dated by the first contact);
 * - qualified: its latest BANT assessment says qualified (dated by the assessment that made it so; an assessment
 *   that says unqualified takes it back out);
 * - disqualified: it is disqualified now (dated by that disqualification; reopening or nurturing takes it back
 *   out, so the disqualification rate is about what became of the leads, not about every verdict ever made);
 * - converted / convertedWithOpportunity: final (dated by convertedAt), with the time it took in the histogram.
 */
export interface ConversionLeadDocument {
  id: string;
  source: string;
  owner: string;
  campaign: string | null;
  createdAt: string;
  /** YYYY-MM-DD (UTC) of createdAt: the lead's cohort day. */
  createdDay: string;
  contactedDay: string | null;
  qualifiedDay: string | null;
  disqualifiedDay: string | null;
  convertedDay: string | null;
  withOpportunity: boolean;
  /** The histogram field its time to convert falls in; null until converted. */
  timeToConvertField: string | null;
  [field: string]: unknown;
}

/** The funnel counts kept in both counter collections. */
export const FUNNEL_FIELDS = ['created', 'contacted', 'qualified', 'disqualified', 'converted', 'convertedWithOpportunity'] as const;
export type FunnelField = (typeof FUNNEL_FIELDS)[number];

/** Every numeric field of a conversion counter document: the funnel counts and the time-to-convert histogram. */
export const CONVERSION_SUM_FIELDS: readonly string[] = [...FUNNEL_FIELDS, ...TIME_TO_CONVERT_FIELDS];

/**
 * A conversion counter document, in `conversion_cohorts` (one per created day x source x owner x campaign: the
 * leads created that day and what became of them, ever) or `conversion_periods` (one per day x source x owner x
 * campaign: what happened that day; `created` there is the leads created that day). `month` (YYYY-MM) is the
 * day's, for grouping by month. The histogram fields (ttc_le_1h ...) count conversions by how long they took.
 */
export interface ConversionCounterDocument extends Record<FunnelField, number> {
  id: string;
  day: string;
  month: string;
  source: string;
  owner: string;
  campaign: string | null;
  [field: string]: unknown;
}

export const CONVERSION_COUNTER_INDEXES: readonly string[] = ['day', 'month', 'source', 'owner', 'campaign'];

/** Every count a lead adds to both collections, in its present state. */
export function conversionContributions(doc: ConversionLeadDocument | null): CounterIncrement[] {
  if (!doc) return [];
  const converted = doc.convertedDay !== null;
  const conversion: Record<string, number> = converted
    ? { converted: 1, convertedWithOpportunity: doc.withOpportunity ? 1 : 0, ...(doc.timeToConvertField ? { [doc.timeToConvertField]: 1 } : {}) }
    : {};
  const cohort = counter(CONVERSION_COHORTS, doc.createdDay, doc, {
    created: 1,
    contacted: doc.contactedDay ? 1 : 0,
    qualified: doc.qualifiedDay ? 1 : 0,
    disqualified: doc.disqualifiedDay ? 1 : 0,
    ...conversion,
  });
  const periods = [
    counter(CONVERSION_PERIODS, doc.createdDay, doc, { created: 1 }),
    doc.contactedDay && counter(CONVERSION_PERIODS, doc.contactedDay, doc, { contacted: 1 }),
    doc.qualifiedDay && counter(CONVERSION_PERIODS, doc.qualifiedDay, doc, { qualified: 1 }),
    doc.disqualifiedDay && counter(CONVERSION_PERIODS, doc.disqualifiedDay, doc, { disqualified: 1 }),
    doc.convertedDay && counter(CONVERSION_PERIODS, doc.convertedDay, doc, conversion),
  ];
  const daily = [cohort, ...periods.filter((p): p is CounterIncrement => Boolean(p))];
  return [...daily, ...daily.map(monthly)];
}

/** The same increment on the month's rollup. */
function monthly(daily: CounterIncrement): CounterIncrement {
  const { month, source, owner, campaign } = daily.group;
  return {
    collection: daily.collection === CONVERSION_COHORTS ? CONVERSION_COHORTS_MONTHLY : CONVERSION_PERIODS_MONTHLY,
    id: counterId([month, source, owner, campaign]),
    group: { month, source, owner, campaign },
    add: daily.add,
  };
}

function counter(collection: string, day: string, doc: ConversionLeadDocument, add: Record<string, number>): CounterIncrement {
  return {
    collection,
    id: counterId([day, doc.source, doc.owner, doc.campaign]),
    group: { day, month: monthOf(day), source: doc.source, owner: doc.owner, campaign: doc.campaign },
    add,
  };
}
