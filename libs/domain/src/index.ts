/** @pipeline-ledger/domain: the pure business rules. Nothing here knows about Nest, HTTP or a store. */

// shared
export * from './shared/decider';
export * from './shared/domain-error';
export * from './shared/money';
export * from './shared/event-types';
export * from './shared/stream-names';
export * from './shared/personal-data';
export { isBlank, isCalendarDate } from './shared/validation';

// lead
export * from './lead/lead.types';
export { LEAD_DETAIL_FIELDS } from './lead/lead-details';
export * from './lead/lead-identity';
export { createLeadDecider, leadDecider } from './lead/lead.decider';
export { conversionFollowUps } from './lead/conversion-follow-ups';
export type { ConversionFollowUps } from './lead/conversion-follow-ups';

// opportunity
export * from './opportunity/opportunity.types';
export * from './opportunity/stage-catalogue';
export { expectedRevenue } from './opportunity/expected-revenue';
export { createOpportunityDecider, opportunityDecider } from './opportunity/opportunity.decider';

// account
export * from './account/account.types';
export { accountDecider } from './account/account.decider';

// contact
export * from './contact/contact.types';
export { contactDecider } from './contact/contact.decider';
