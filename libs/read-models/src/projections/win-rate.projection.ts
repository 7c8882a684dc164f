import { StoredEvent } from '@pipeline-ledger/event-store';
import { CounterIncrement } from '../read-model-store.port';
import { Projection } from '../projection';
import { businessDay, monthOf, occurredAt } from './business-time';
import { counterId, diffIncrements } from './counter-increments';
import { domainEventOf } from './domain-event';
import { opportunityIdOf, statusOf } from './opportunity-events';
import { CountedFor, recordedDay } from './time-basis';
import { OpportunityEvent } from '@pipeline-ledger/domain';

export const WIN_RATE_OPPORTUNITIES = 'win_rate_opportunities';
export const WIN_RATES = 'win_rates';

/**
 * Whether and where one opportunity is counted in the win rate. `outcome` is null while it is open: reopening a
 * closed deal takes its count back out (-1 won or lost), and closing it again counts it once more, on the day of
 * the new close, so a deal reopened and closed any number of times is counted exactly once.
 */
export interface WinRateOpportunityDocument {
  id: string;
  owner: string;
  /** The opportunity's source; a conversion carries the lead's over. Null when none was given. */
  source: string | null;
  outcome: 'won' | 'lost' | null;
  /** YYYY-MM-DD of the business time it closed (not the planned close date); null while open. */
  closedDay: string | null;
  /** YYYY-MM-DD the store recorded that close on (timeBasis=recorded); null while open. */
  closedRecordedDay: string | null;
  [field: string]: unknown;
}

/**
 * One per owner x source x day closed: how many closed won and lost that day (`closed` = won + lost). `timeBasis`
 * says whose day it is (time-basis.ts): `both` when the deal closed in the business on the day the store recorded
 * it, else `occurred` (the business day) or `recorded` (the recorded day) for a back-dated close.
 */
export interface WinRateCounterDocument {
  id: string;
  owner: string;
  source: string | null;
  day: string;
  month: string;
  timeBasis: CountedFor;
  won: number;
  lost: number;
  closed: number;
}

export const WIN_RATE_SUM_FIELDS = ['won', 'lost', 'closed'] as const;

/** Amounts, probabilities and close dates do not matter to a win rate. */
const EVENT_TYPES: readonly OpportunityEvent['type'][] = ['OpportunityCreated', 'OpportunityStageChanged', 'OpportunityReopened', 'OpportunityOwnerChanged'];

/**
 * Win rate (won / closed) counters, by the *current* owner (an owner change moves the deal's count, as for leads)
 * and by source, per day the deal closed: a window of days is a window of closes. The day is kept in business time
 * and as recorded, one counter for both when they agree (timeBasis, see time-basis.ts).
 */
export const winRateProjection: Projection<WinRateOpportunityDocument> = {
  name: 'win-rate',
  version: 2, // 2: timeBasis (recorded close days)
  collections: [
    { name: WIN_RATE_OPPORTUNITIES, indexedFields: [] },
    { name: WIN_RATES, indexedFields: ['owner', 'source', 'day', 'month'] },
  ],
  eventTypes: EVENT_TYPES,
  entityCollection: WIN_RATE_OPPORTUNITIES,
  entityId: opportunityIdOf,
  apply(event, current) {
    const next = evolve(event, current);
    if (next === undefined) return {};
    return { document: next, increments: diffIncrements(contribution(current), contribution(next)) };
  },
};

function evolve(event: StoredEvent, current: WinRateOpportunityDocument | null): WinRateOpportunityDocument | undefined {
  const e = domainEventOf(event);
  if (!e) return undefined;
  switch (e.type) {
    case 'OpportunityCreated': {
      const d = e.data;
      const blank: WinRateOpportunityDocument = { id: d.opportunityId, owner: d.owner, source: d.source, outcome: null, closedDay: null, closedRecordedDay: null };
      return withStatus(blank, statusOf(d), d.createdAt, event);
    }
    case 'OpportunityStageChanged':
      return current ? withStatus(current, statusOf(e.data), occurredAt(event, e.data.changedAt), event) : undefined;
    case 'OpportunityReopened':
      return current ? withStatus(current, statusOf(e.data), occurredAt(event, e.data.reopenedAt), event) : undefined;
    case 'OpportunityOwnerChanged':
      return current ? { ...current, owner: e.data.owner } : undefined;
    default:
      return undefined;
  }
}

/** Closing dates the count by the day it went from open to closed; a move between closed stages keeps that day. */
function withStatus(doc: WinRateOpportunityDocument, status: 'open' | 'won' | 'lost', at: string, event: StoredEvent): WinRateOpportunityDocument {
  if (status === 'open') return { ...doc, outcome: null, closedDay: null, closedRecordedDay: null };
  return { ...doc, outcome: status, closedDay: doc.closedDay ?? businessDay(at), closedRecordedDay: doc.closedRecordedDay ?? recordedDay(event) };
}

/** The close counted on its day: one counter when the business day is the recorded day, else one per basis. */
function contribution(doc: WinRateOpportunityDocument | null): CounterIncrement[] {
  if (!doc || doc.outcome === null || doc.closedDay === null) return [];
  const add = { won: doc.outcome === 'won' ? 1 : 0, lost: doc.outcome === 'lost' ? 1 : 0, closed: 1 };
  const recorded = doc.closedRecordedDay ?? doc.closedDay;
  if (recorded === doc.closedDay) return [counter(doc, doc.closedDay, 'both', add)];
  return [counter(doc, doc.closedDay, 'occurred', add), counter(doc, recorded, 'recorded', add)];
}

function counter(doc: WinRateOpportunityDocument, day: string, timeBasis: CountedFor, add: Record<string, number>): CounterIncrement {
  return {
    collection: WIN_RATES,
    id: counterId([doc.owner, doc.source, day, timeBasis]),
    group: { owner: doc.owner, source: doc.source, day, month: monthOf(day), timeBasis },
    add,
  };
}
