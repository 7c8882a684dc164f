import { LeadEvent } from '@pipeline-ledger/domain';
import { StoredEvent } from '@pipeline-ledger/event-store';

/** Every lead event type: the lead projections read them all. */
export const LEAD_EVENT_TYPES: readonly LeadEvent['type'][] = [
  'LeadCreated',
  'LeadDetailsUpdated',
  'LeadOwnerChanged',
  'LeadContacted',
  'LeadQualified',
  'LeadNurtureStarted',
  'LeadDisqualified',
  'LeadReopened',
  'LeadConverted',
  'LeadPersonalDataErased',
];

/** The lead an event is about: every lead event's data names it. */
export function leadIdOf(event: StoredEvent): string | null {
  const id = event.data['leadId'];
  return typeof id === 'string' ? id : null;
}
