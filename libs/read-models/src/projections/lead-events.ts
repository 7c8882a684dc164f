import { LeadEvent } from '@pipeline-ledger/domain';
import { StoredEvent } from '@pipeline-ledger/event-store';

/**
 * The lead event types the lead list and the conversion counters read: every one that changes a lead. Not
 * LeadDuplicateSubmitted, which changes nothing they keep (and which they would ignore: see lead-events.spec.ts).
 */
export const LEAD_EVENT_TYPES: readonly Exclude<LeadEvent['type'], 'LeadDuplicateSubmitted'>[] = [
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
