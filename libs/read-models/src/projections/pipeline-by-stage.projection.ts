import { StageSnapshot, expectedRevenue } from '@pipeline-ledger/domain';
import { StoredEvent } from '@pipeline-ledger/event-store';
import { CounterIncrement } from '../read-model-store.port';
import { Projection } from '../projection';
import { monthOf } from './business-time';
import { counterId, diffIncrements } from './counter-increments';
import { domainEventOf } from './domain-event';
import { OPPORTUNITY_EVENT_TYPES, OpportunityStatus, opportunityIdOf, statusOf } from './opportunity-events';

export const PIPELINE_OPPORTUNITIES = 'pipeline_opportunities';
export const PIPELINE_BUCKETS = 'pipeline_buckets';
/** Rollups of the buckets for the questions without a close-date window: a few rows, however many days and deals. */
export const PIPELINE_TOTALS = 'pipeline_totals';
export const PIPELINE_OWNER_TOTALS = 'pipeline_owner_totals';
/**
 * Rollups for a close-date window: its whole months from the monthly ones, the days of its partial first and last
 * months from the daily ones (without an owner) or from the buckets (for one owner).
 */
export const PIPELINE_DAY_TOTALS = 'pipeline_day_totals';
export const PIPELINE_MONTH_TOTALS = 'pipeline_month_totals';
export const PIPELINE_OWNER_MONTH_TOTALS = 'pipeline_owner_month_totals';

/**
 * Where one opportunity is counted in the pipeline: exactly the fields that pick its bucket and what it adds.
 * The stage snapshot in every stage event says whether the stage is closed and won, so the catalogue is not needed.
 */
export interface PipelineOpportunityDocument {
  id: string;
  stage: string;
  status: OpportunityStatus;
  probability: number;
  /** Integer minor units; null (with currency null) until known. */
  amount: number | null;
  currency: string | null;
  owner: string;
  /** YYYY-MM-DD. */
  closeDate: string;
  [field: string]: unknown;
}

/**
 * A pipeline bucket: the opportunities in one stage, with one currency (null: no amount yet), one owner and one
 * close date. `count` counts them all; `amount` and `weightedAmount` (each opportunity's expected revenue, rounded
 * to whole minor units as the domain does, then added up) only those with an amount. `status` (open, won, lost)
 * is the stage snapshot's, so closed totals need no catalogue either.
 */
export interface PipelineBucketDocument {
  id: string;
  stage: string;
  status: OpportunityStatus;
  currency: string | null;
  owner: string;
  closeDate: string;
  count: number;
  amount: number;
  weightedAmount: number;
}

export const PIPELINE_SUM_FIELDS = ['count', 'amount', 'weightedAmount'] as const;

export const pipelineByStageProjection: Projection<PipelineOpportunityDocument> = {
  name: 'pipeline-by-stage',
  version: 3, // 2: the rollups pipeline_totals and pipeline_owner_totals; 3: the daily and monthly rollups
  collections: [
    { name: PIPELINE_OPPORTUNITIES, indexedFields: [] },
    // One owner's close-date window: the edge days of a windowed query for one owner.
    { name: PIPELINE_BUCKETS, indexedFields: ['stage', 'status', 'currency', ['owner', 'closeDate'], 'closeDate'] },
    { name: PIPELINE_TOTALS, indexedFields: [] },
    { name: PIPELINE_OWNER_TOTALS, indexedFields: ['owner'] },
    { name: PIPELINE_DAY_TOTALS, indexedFields: ['closeDate'] },
    { name: PIPELINE_MONTH_TOTALS, indexedFields: ['closeMonth'] },
    { name: PIPELINE_OWNER_MONTH_TOTALS, indexedFields: [['owner', 'closeMonth'], 'closeMonth'] },
  ],
  eventTypes: OPPORTUNITY_EVENT_TYPES,
  entityCollection: PIPELINE_OPPORTUNITIES,
  entityId: opportunityIdOf,
  /**
   * Works out the opportunity's new place and moves its contribution: minus the old bucket, plus the new one
   * (see counter-increments.ts). Stage, amount, currency, probability, owner and close date changes, closing and
   * reopening are all that one move.
   */
  apply(event, current) {
    const next = evolve(event, current);
    if (next === undefined) return {};
    return { document: next, increments: diffIncrements(contribution(current), contribution(next)) };
  },
};

/** The opportunity's place after the event; undefined when the event changes nothing here. */
function evolve(event: StoredEvent, current: PipelineOpportunityDocument | null): PipelineOpportunityDocument | undefined {
  const e = domainEventOf(event);
  if (!e) return undefined;
  if (e.type === 'OpportunityCreated') {
    const d = e.data;
    return { id: d.opportunityId, ...stageOf(d), amount: d.amount, currency: d.currency, owner: d.owner, closeDate: d.closeDate };
  }
  if (!current) return undefined;
  switch (e.type) {
    case 'OpportunityStageChanged':
    case 'OpportunityReopened':
      return { ...current, ...stageOf(e.data) };
    case 'OpportunityAmountChanged':
      return { ...current, amount: e.data.amount, currency: e.data.currency };
    case 'OpportunityProbabilityOverridden':
      return { ...current, probability: e.data.probability };
    case 'OpportunityCloseDateChanged':
      return { ...current, closeDate: e.data.closeDate };
    case 'OpportunityOwnerChanged':
      return { ...current, owner: e.data.owner };
    default:
      return undefined;
  }
}

function stageOf(snapshot: StageSnapshot): Pick<PipelineOpportunityDocument, 'stage' | 'status' | 'probability'> {
  return { stage: snapshot.stage, status: statusOf(snapshot), probability: snapshot.probability };
}

/** The bucket an opportunity adds to, and the rollups of that bucket, with what it adds to each. */
function contribution(doc: PipelineOpportunityDocument | null): CounterIncrement[] {
  if (!doc) return [];
  const priced = doc.amount !== null && doc.currency !== null;
  const currency = priced ? doc.currency : null;
  const add = {
    count: 1,
    amount: priced ? (doc.amount as number) : 0,
    weightedAmount: priced ? (expectedRevenue(doc.amount, doc.probability) as number) : 0,
  };
  const { stage, status, owner, closeDate } = doc;
  const closeMonth = monthOf(closeDate);
  return [
    { collection: PIPELINE_BUCKETS, id: counterId([stage, status, currency, owner, closeDate]), group: { stage, status, currency, owner, closeDate }, add },
    { collection: PIPELINE_OWNER_TOTALS, id: counterId([stage, status, currency, owner]), group: { stage, status, currency, owner }, add },
    { collection: PIPELINE_TOTALS, id: counterId([stage, status, currency]), group: { stage, status, currency }, add },
    { collection: PIPELINE_DAY_TOTALS, id: counterId([stage, status, currency, closeDate]), group: { stage, status, currency, closeDate }, add },
    { collection: PIPELINE_MONTH_TOTALS, id: counterId([stage, status, currency, closeMonth]), group: { stage, status, currency, closeMonth }, add },
    {
      collection: PIPELINE_OWNER_MONTH_TOTALS,
      id: counterId([stage, status, currency, owner, closeMonth]),
      group: { stage, status, currency, owner, closeMonth },
      add,
    },
  ];
}
