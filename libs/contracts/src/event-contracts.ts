import { z } from 'zod';
import { AnyDomainEvent, DomainEventType, EVENT_SCHEMA_VERSIONS, RecordKind } from '@pipeline-ledger/domain';
import { accountCreatedV1, accountMergedFromLeadV1 } from './schemas/account-event.schemas';
import { contactCreatedV1, contactMergedFromLeadV1, contactPersonalDataErasedV1 } from './schemas/contact-event.schemas';
import {
  leadContactedV1,
  leadConvertedV1,
  leadCreatedV1,
  leadDetailsUpdatedV1,
  leadDisqualifiedV1,
  leadDisqualifiedV2,
  leadDuplicateSubmittedV1,
  leadNurtureStartedV1,
  leadOwnerChangedV1,
  leadPersonalDataErasedV1,
  leadQualifiedV1,
  leadReopenedV1,
} from './schemas/lead-event.schemas';
import {
  opportunityAmountChangedV1,
  opportunityCloseDateChangedV1,
  opportunityCreatedV1,
  opportunityOwnerChangedV1,
  opportunityProbabilityOverriddenV1,
  opportunityReopenedV1,
  opportunityStageChangedV1,
} from './schemas/opportunity-event.schemas';

/** What is published about one event type: whose stream carries it, and the schema of its data in every version. */
export interface EventContract {
  readonly record: RecordKind;
  /** Every schema version there has been, by number. The current one is EVENT_SCHEMA_VERSIONS[type] (the domain's). */
  readonly versions: { readonly [version: number]: z.ZodType };
}

/**
 * The published contract of every domain event type. The versioning rule: a published (type, version) never changes;
 * a change to an event's data is a new version here, the domain's EVENT_SCHEMA_VERSIONS bumped to it, and an upcaster
 * from the version before (upcasting/). schemas.snapshot.json and its test hold every version to that.
 */
export const EVENT_CONTRACTS = {
  LeadCreated: { record: 'lead', versions: { 1: leadCreatedV1 } },
  LeadDetailsUpdated: { record: 'lead', versions: { 1: leadDetailsUpdatedV1 } },
  LeadOwnerChanged: { record: 'lead', versions: { 1: leadOwnerChangedV1 } },
  LeadContacted: { record: 'lead', versions: { 1: leadContactedV1 } },
  LeadQualified: { record: 'lead', versions: { 1: leadQualifiedV1 } },
  LeadNurtureStarted: { record: 'lead', versions: { 1: leadNurtureStartedV1 } },
  LeadDisqualified: { record: 'lead', versions: { 1: leadDisqualifiedV1, 2: leadDisqualifiedV2 } },
  LeadReopened: { record: 'lead', versions: { 1: leadReopenedV1 } },
  LeadConverted: { record: 'lead', versions: { 1: leadConvertedV1 } },
  LeadPersonalDataErased: { record: 'lead', versions: { 1: leadPersonalDataErasedV1 } },
  LeadDuplicateSubmitted: { record: 'lead', versions: { 1: leadDuplicateSubmittedV1 } },
  AccountCreated: { record: 'account', versions: { 1: accountCreatedV1 } },
  AccountMergedFromLead: { record: 'account', versions: { 1: accountMergedFromLeadV1 } },
  ContactCreated: { record: 'contact', versions: { 1: contactCreatedV1 } },
  ContactMergedFromLead: { record: 'contact', versions: { 1: contactMergedFromLeadV1 } },
  ContactPersonalDataErased: { record: 'contact', versions: { 1: contactPersonalDataErasedV1 } },
  OpportunityCreated: { record: 'opportunity', versions: { 1: opportunityCreatedV1 } },
  OpportunityStageChanged: { record: 'opportunity', versions: { 1: opportunityStageChangedV1 } },
  OpportunityAmountChanged: { record: 'opportunity', versions: { 1: opportunityAmountChangedV1 } },
  OpportunityCloseDateChanged: { record: 'opportunity', versions: { 1: opportunityCloseDateChangedV1 } },
  OpportunityProbabilityOverridden: { record: 'opportunity', versions: { 1: opportunityProbabilityOverriddenV1 } },
  OpportunityOwnerChanged: { record: 'opportunity', versions: { 1: opportunityOwnerChangedV1 } },
  OpportunityReopened: { record: 'opportunity', versions: { 1: opportunityReopenedV1 } },
} as const satisfies { readonly [T in DomainEventType]: EventContract };

type Contracts = typeof EVENT_CONTRACTS;

/** The schema versions an event type has had. */
export type SchemaVersionOf<T extends DomainEventType> = keyof Contracts[T]['versions'] & number;

/** The version the domain writes today. */
export type CurrentSchemaVersion<T extends DomainEventType> = (typeof EVENT_SCHEMA_VERSIONS)[T];

/** The data of one version of an event type, as its schema says. */
export type EventData<T extends DomainEventType, V extends SchemaVersionOf<T>> = z.output<Contracts[T]['versions'][V]>;

/** The data of an event type in the version the domain writes today (never when that version has no schema). */
export type CurrentEventData<T extends DomainEventType> =
  CurrentSchemaVersion<T> extends SchemaVersionOf<T> ? z.output<Contracts[T]['versions'][CurrentSchemaVersion<T>]> : never;

/** The data the domain's own event type declares. */
export type DomainEventData<T extends DomainEventType> = Extract<AnyDomainEvent, { type: T }>['data'];

/** The schema versions of an event type, oldest first. */
export function schemaVersionsOf(type: DomainEventType): number[] {
  return Object.keys(EVENT_CONTRACTS[type].versions)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The version the domain writes today. */
export function currentSchemaVersion(type: DomainEventType): number {
  return EVENT_SCHEMA_VERSIONS[type];
}

/** The zod schema of one version of an event type's data; undefined when there is no such version. */
export function dataSchemaOf(type: DomainEventType, version: number): z.ZodType | undefined {
  return (EVENT_CONTRACTS[type].versions as { readonly [version: number]: z.ZodType | undefined })[version];
}
