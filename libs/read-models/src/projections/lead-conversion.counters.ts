import { CollectionDefinition, CounterIncrement } from '../read-model-store.port';
import { monthOf } from './business-time';
import { counterId, diffIncrements } from './counter-increments';
import { CountedFor } from './time-basis';
import { TIME_TO_CONVERT_FIELDS } from './time-to-convert.histogram';

export const CONVERSION_LEADS = 'conversion_leads';
export const CONVERSION_COHORTS = 'conversion_cohorts';
export const CONVERSION_PERIODS = 'conversion_periods';
/** Monthly rollups of the two (same counts, keyed by month instead of day): for windows of whole months. */
export const CONVERSION_COHORTS_MONTHLY = 'conversion_cohorts_monthly';
export const CONVERSION_PERIODS_MONTHLY = 'conversion_periods_monthly';
/** The same counts by source only (daily and monthly): conversion by source, or by cohort month alone. */
export const CONVERSION_COHORTS_BY_SOURCE = 'conversion_cohorts_by_source';
export const CONVERSION_PERIODS_BY_SOURCE = 'conversion_periods_by_source';
export const CONVERSION_COHORTS_BY_SOURCE_MONTHLY = 'conversion_cohorts_by_source_monthly';
export const CONVERSION_PERIODS_BY_SOURCE_MONTHLY = 'conversion_periods_by_source_monthly';

export type ConversionDimension = 'source' | 'owner' | 'campaign';
const DIMENSIONS: readonly ConversionDimension[] = ['source', 'owner', 'campaign'];

/** The counter collections of one basis at one level of detail: what a query may group and filter by there. */
export interface ConversionCounterTier {
  daily: string;
  monthly: string;
  dimensions: readonly ConversionDimension[];
}

/**
 * Per basis, the tiers from the coarsest to the full detail: the counts by source only, by owner only, by campaign
 * only (a few rows per day or month), then by source x owner x campaign (one row per combination that occurs). A
 * query reads the first tier that has every dimension it groups or filters by.
 */
export const CONVERSION_TIERS: Record<'cohort' | 'period', readonly ConversionCounterTier[]> = { cohort: tiersOf('cohorts'), period: tiersOf('periods') };

function tiersOf(basis: 'cohorts' | 'periods'): ConversionCounterTier[] {
  return [
    ...DIMENSIONS.map((d) => ({ daily: `conversion_${basis}_by_${d}`, monthly: `conversion_${basis}_by_${d}_monthly`, dimensions: [d] })),
    { daily: `conversion_${basis}`, monthly: `conversion_${basis}_monthly`, dimensions: DIMENSIONS },
  ];
}

/** Every counter collection, with an index on each field a query filters or groups by. */
export const CONVERSION_COUNTER_COLLECTIONS: CollectionDefinition[] = [...CONVERSION_TIERS.cohort, ...CONVERSION_TIERS.period].flatMap((tier) => [
  { name: tier.daily, indexedFields: ['day', 'month', ...tier.dimensions] },
  { name: tier.monthly, indexedFields: ['month', ...tier.dimensions] },
]);

/**
 * What the conversion counters remember of one lead: its group (source, current owner, campaign) and, for each
 * step of the funnel it stands at, the business day it got there and the day the store recorded that. That is
 * enough to take every count it contributes back out of one group and put it into another when the group changes.
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
  /** The days (UTC) the store recorded the events that put it there: its cohort day with timeBasis=recorded, etc. */
  createdRecordedDay: string;
  contactedRecordedDay: string | null;
  qualifiedRecordedDay: string | null;
  disqualifiedRecordedDay: string | null;
  convertedRecordedDay: string | null;
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
 * day's, for grouping by month. The histogram fields (ttc_le_1h ...) count conversions by how long they took (in
 * business time, whatever the basis). `timeBasis` says whose day it is (time-basis.ts): `both` when the business
 * day and the recorded day of what it counts are the same, else `occurred` or `recorded`; the monthly rollups say
 * the same of months.
 */
export interface ConversionCounterDocument extends Record<FunnelField, number> {
  id: string;
  day: string;
  month: string;
  source: string;
  owner: string;
  campaign: string | null;
  timeBasis: CountedFor;
  [field: string]: unknown;
}

/** Every count a lead adds to both collections, in its present state. */
export function conversionContributions(doc: ConversionLeadDocument | null): CounterIncrement[] {
  const counters: CounterIncrement[] = [];
  if (!doc) return counters;
  for (const step of STEPS) {
    const counts = step(doc);
    if (counts) pushCounters(counters, counts, doc, counts[3]);
  }
  return counters;
}

/**
 * What the counters must add when a lead goes from `before` to `after`: its contributions after minus before.
 * Adds up to the same as diffIncrements(conversionContributions(before), conversionContributions(after)), which it
 * falls back to when the lead changes group (source, owner, campaign) or appears; otherwise, as for nearly every
 * event, only the steps of the funnel that moved are turned into counters (a first contact: the cohort's and one
 * period counter, with their rollups), not all of them twice. Two increments may hit the same counter (a lead
 * contacted on the day it was created): the runner adds increments up by counter anyway. A rebuild calls this for
 * every lead event.
 */
export function conversionChanges(before: ConversionLeadDocument | null, after: ConversionLeadDocument | null): CounterIncrement[] {
  if (!before || !after || before.source !== after.source || before.owner !== after.owner || before.campaign !== after.campaign) {
    return diffIncrements(conversionContributions(before), conversionContributions(after));
  }
  const changes: CounterIncrement[] = [];
  for (const step of STEPS) {
    const was = step(before);
    const is = step(after);
    if (was && is && was[1] === is[1] && was[2] === is[2]) {
      // The same counters (the cohort's: its counts changed): add the difference.
      const delta = difference(was[3], is[3]);
      if (delta) pushCounters(changes, is, after, delta);
      continue;
    }
    if (was) pushCounters(changes, was, before, negated(was[3]));
    if (is) pushCounters(changes, is, after, is[3]);
  }
  return changes;
}

/** after - before, field by field, without the zeros; null when nothing changed. */
function difference(before: Record<string, number>, after: Record<string, number>): Record<string, number> | null {
  let delta: Record<string, number> | null = null;
  for (const field in after) {
    const n = after[field] - (before[field] ?? 0);
    if (n !== 0) (delta ??= {})[field] = n;
  }
  for (const field in before) {
    if (!(field in after) && before[field] !== 0) (delta ??= {})[field] = -before[field];
  }
  return delta;
}

function negated(add: Record<string, number>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const field in add) if (add[field] !== 0) result[field] = -add[field];
  return result;
}

/** One step's full-detail daily collection, its business day and recorded day, and what the lead adds there. */
type Step = readonly [collection: string, day: string, recordedDay: string, add: Record<string, number>];

/**
 * The steps of the funnel, each the daily counter one lead adds to for it (null: not reached): the cohort of its
 * created day (every count, whatever day it happened), then the period counters of the days it was created,
 * first contacted, qualified, disqualified and converted. Each with the day it was recorded on, for timeBasis=recorded.
 */
const STEPS: ReadonlyArray<(doc: ConversionLeadDocument) => Step | null> = [
  (doc) => [
    CONVERSION_COHORTS,
    doc.createdDay,
    doc.createdRecordedDay ?? doc.createdDay,
    {
      created: 1,
      contacted: doc.contactedDay ? 1 : 0,
      qualified: doc.qualifiedDay ? 1 : 0,
      disqualified: doc.disqualifiedDay ? 1 : 0,
      ...conversionCounts(doc),
    },
  ],
  (doc) => [CONVERSION_PERIODS, doc.createdDay, doc.createdRecordedDay ?? doc.createdDay, { created: 1 }],
  (doc) => (doc.contactedDay ? [CONVERSION_PERIODS, doc.contactedDay, doc.contactedRecordedDay ?? doc.contactedDay, { contacted: 1 }] : null),
  (doc) => (doc.qualifiedDay ? [CONVERSION_PERIODS, doc.qualifiedDay, doc.qualifiedRecordedDay ?? doc.qualifiedDay, { qualified: 1 }] : null),
  (doc) => (doc.disqualifiedDay ? [CONVERSION_PERIODS, doc.disqualifiedDay, doc.disqualifiedRecordedDay ?? doc.disqualifiedDay, { disqualified: 1 }] : null),
  (doc) => (doc.convertedDay ? [CONVERSION_PERIODS, doc.convertedDay, doc.convertedRecordedDay ?? doc.convertedDay, conversionCounts(doc)] : null),
];

function conversionCounts(doc: ConversionLeadDocument): Record<string, number> {
  if (doc.convertedDay === null) return {};
  const counts: Record<string, number> = { converted: 1, convertedWithOpportunity: doc.withOpportunity ? 1 : 0 };
  if (doc.timeToConvertField) counts[doc.timeToConvertField] = 1;
  return counts;
}

/**
 * The counters one step adds `add` to: its full-detail daily counter and the rollups (its month, and its day and
 * month in the coarser tiers). A day (or month) that is both the business one and the recorded one gets one
 * counter, counting for both bases; otherwise one for each basis (see time-basis.ts). Appends to `out`: a rebuild
 * calls this for every step of every lead event, so it allocates nothing but the increments.
 */
function pushCounters(out: CounterIncrement[], step: Step, doc: ConversionLeadDocument, add: Record<string, number>): void {
  const [collection, day, recordedDay] = step;
  const tiers = CONVERSION_TIERS[collection === CONVERSION_COHORTS ? 'cohort' : 'period'];
  if (day === recordedDay) pushDaily(out, tiers, day, 'both', doc, add);
  else {
    pushDaily(out, tiers, day, 'occurred', doc, add);
    pushDaily(out, tiers, recordedDay, 'recorded', doc, add);
  }
  const month = monthOf(day);
  const recordedMonth = monthOf(recordedDay);
  if (month === recordedMonth) pushMonthly(out, tiers, month, 'both', doc, add);
  else {
    pushMonthly(out, tiers, month, 'occurred', doc, add);
    pushMonthly(out, tiers, recordedMonth, 'recorded', doc, add);
  }
}

function pushDaily(out: CounterIncrement[], tiers: readonly ConversionCounterTier[], day: string, timeBasis: CountedFor, doc: ConversionLeadDocument, add: Record<string, number>): void {
  const { source, owner, campaign } = doc;
  const month = monthOf(day);
  const [bySource, byOwner, byCampaign, full] = tiers as ConversionCounterTier[];
  out.push(
    { collection: full!.daily, id: counterId([day, source, owner, campaign, timeBasis]), group: { day, month, source, owner, campaign, timeBasis }, add },
    { collection: bySource!.daily, id: counterId([day, source, timeBasis]), group: { day, month, source, timeBasis }, add },
    { collection: byOwner!.daily, id: counterId([day, owner, timeBasis]), group: { day, month, owner, timeBasis }, add },
    { collection: byCampaign!.daily, id: counterId([day, campaign, timeBasis]), group: { day, month, campaign, timeBasis }, add },
  );
}

function pushMonthly(out: CounterIncrement[], tiers: readonly ConversionCounterTier[], month: string, timeBasis: CountedFor, doc: ConversionLeadDocument, add: Record<string, number>): void {
  const { source, owner, campaign } = doc;
  const [bySource, byOwner, byCampaign, full] = tiers as ConversionCounterTier[];
  out.push(
    { collection: full!.monthly, id: counterId([month, source, owner, campaign, timeBasis]), group: { month, source, owner, campaign, timeBasis }, add },
    { collection: bySource!.monthly, id: counterId([month, source, timeBasis]), group: { month, source, timeBasis }, add },
    { collection: byOwner!.monthly, id: counterId([month, owner, timeBasis]), group: { month, owner, timeBasis }, add },
    { collection: byCampaign!.monthly, id: counterId([month, campaign, timeBasis]), group: { month, campaign, timeBasis }, add },
  );
}
