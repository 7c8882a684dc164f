import { OpportunityEvent, StageSnapshot } from '@pipeline-ledger/domain';
import { StoredEvent } from '@pipeline-ledger/event-store';

/** Every opportunity event type: the projections over opportunities read them all. */
export const OPPORTUNITY_EVENT_TYPES: readonly OpportunityEvent['type'][] = [
  'OpportunityCreated',
  'OpportunityStageChanged',
  'OpportunityAmountChanged',
  'OpportunityCloseDateChanged',
  'OpportunityProbabilityOverridden',
  'OpportunityOwnerChanged',
  'OpportunityReopened',
];

/** The opportunity an event is about: every opportunity event's data names it. */
export function opportunityIdOf(event: StoredEvent): string | null {
  const id = event.data['opportunityId'];
  return typeof id === 'string' ? id : null;
}

/** Where a stage snapshot puts an opportunity: still open, or closed won / closed lost. */
export type OpportunityStatus = 'open' | 'won' | 'lost';

export function statusOf(snapshot: Pick<StageSnapshot, 'isClosed' | 'isWon'>): OpportunityStatus {
  if (!snapshot.isClosed) return 'open';
  return snapshot.isWon ? 'won' : 'lost';
}
