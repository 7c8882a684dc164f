import type { AccountEvent } from '../account/account.types';
import type { ContactEvent } from '../contact/contact.types';
import type { LeadEvent } from '../lead/lead.types';
import type { OpportunityEvent } from '../opportunity/opportunity.types';

/** Every event of the four records. */
export type AnyDomainEvent = LeadEvent | AccountEvent | ContactEvent | OpportunityEvent;
/** Every stable event type name. */
export type DomainEventType = AnyDomainEvent['type'];

/**
 * The schema version of each event type's data, written into every stored event's envelope.
 * The `satisfies` makes this exhaustive: adding an event type without a version here does not compile. The literal
 * types (`as const`) let libs/contracts pick each type's current schema at compile time, so bumping a version here
 * without a schema and an upcaster for it there does not compile either.
 */
export const EVENT_SCHEMA_VERSIONS = {
  LeadCreated: 1,
  LeadDetailsUpdated: 1,
  LeadOwnerChanged: 1,
  LeadContacted: 1,
  LeadQualified: 1,
  LeadNurtureStarted: 1,
  LeadDisqualified: 2, // 2: a reason code besides the words (libs/contracts upcasts version 1)
  LeadReopened: 1,
  LeadConverted: 1,
  LeadPersonalDataErased: 1,
  LeadDuplicateSubmitted: 1,
  AccountCreated: 1,
  AccountMergedFromLead: 1,
  ContactCreated: 1,
  ContactMergedFromLead: 1,
  ContactPersonalDataErased: 1,
  OpportunityCreated: 1,
  OpportunityStageChanged: 1,
  OpportunityAmountChanged: 1,
  OpportunityCloseDateChanged: 1,
  OpportunityProbabilityOverridden: 1,
  OpportunityOwnerChanged: 1,
  OpportunityReopened: 1,
} as const satisfies { readonly [T in DomainEventType]: number };

export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_SCHEMA_VERSIONS) as readonly DomainEventType[];

export function isDomainEventType(name: string): name is DomainEventType {
  return Object.prototype.hasOwnProperty.call(EVENT_SCHEMA_VERSIONS, name);
}
