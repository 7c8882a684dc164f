import type { DomainEventType } from '@pipeline-ledger/domain';
import type { CurrentEventData, CurrentSchemaVersion, EventData, SchemaVersionOf } from './event-contracts';
import type { FeedMessage } from './feed-message.schema';

/**
 * The TypeScript types of the published events, inferred from their schemas: what a TypeScript subscriber can type
 * a parsed message with. `<Type>Data` is the data of the version delivered today; older versions are named with
 * their number (`LeadDisqualifiedDataV1`).
 */

export type LeadCreatedData = CurrentEventData<'LeadCreated'>;
export type LeadDetailsUpdatedData = CurrentEventData<'LeadDetailsUpdated'>;
export type LeadOwnerChangedData = CurrentEventData<'LeadOwnerChanged'>;
export type LeadContactedData = CurrentEventData<'LeadContacted'>;
export type LeadQualifiedData = CurrentEventData<'LeadQualified'>;
export type LeadNurtureStartedData = CurrentEventData<'LeadNurtureStarted'>;
export type LeadDisqualifiedData = CurrentEventData<'LeadDisqualified'>;
export type LeadDisqualifiedDataV1 = EventData<'LeadDisqualified', 1>;
export type LeadDisqualifiedDataV2 = EventData<'LeadDisqualified', 2>;
export type LeadReopenedData = CurrentEventData<'LeadReopened'>;
export type LeadConvertedData = CurrentEventData<'LeadConverted'>;
export type LeadPersonalDataErasedData = CurrentEventData<'LeadPersonalDataErased'>;
export type LeadDuplicateSubmittedData = CurrentEventData<'LeadDuplicateSubmitted'>;
export type AccountCreatedData = CurrentEventData<'AccountCreated'>;
export type AccountMergedFromLeadData = CurrentEventData<'AccountMergedFromLead'>;
export type ContactCreatedData = CurrentEventData<'ContactCreated'>;
export type ContactMergedFromLeadData = CurrentEventData<'ContactMergedFromLead'>;
export type ContactPersonalDataErasedData = CurrentEventData<'ContactPersonalDataErased'>;
export type OpportunityCreatedData = CurrentEventData<'OpportunityCreated'>;
export type OpportunityStageChangedData = CurrentEventData<'OpportunityStageChanged'>;
export type OpportunityAmountChangedData = CurrentEventData<'OpportunityAmountChanged'>;
export type OpportunityCloseDateChangedData = CurrentEventData<'OpportunityCloseDateChanged'>;
export type OpportunityProbabilityOverriddenData = CurrentEventData<'OpportunityProbabilityOverridden'>;
export type OpportunityOwnerChangedData = CurrentEventData<'OpportunityOwnerChanged'>;
export type OpportunityReopenedData = CurrentEventData<'OpportunityReopened'>;

/** One message of one event type as delivered today: `switch (message.type)` narrows its data. */
export type PublishedEventOf<T extends DomainEventType> = Omit<FeedMessage, 'type' | 'schemaVersion' | 'data'> & {
  type: T;
  schemaVersion: CurrentSchemaVersion<T>;
  data: CurrentEventData<T>;
};

/** Any message the SSE feed or a webhook delivers, typed by its event type. */
export type PublishedEvent = { [T in DomainEventType]: PublishedEventOf<T> }[DomainEventType];

/** Any version of any event type's data (for code that reads stored events before upcasting them). */
export type AnyEventData = { [T in DomainEventType]: EventData<T, SchemaVersionOf<T>> }[DomainEventType];
