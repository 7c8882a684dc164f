import {
  AccountCommand,
  AccountEvent,
  AccountState,
  ContactCommand,
  ContactEvent,
  ContactState,
  Decider,
  LeadCommand,
  LeadEvent,
  LeadState,
  OpportunityCommand,
  OpportunityEvent,
  OpportunityState,
  accountDecider,
  contactDecider,
  leadDecider,
  opportunityDecider,
} from '@pipeline-ledger/domain';

export type RecordKind = 'lead' | 'account' | 'contact' | 'opportunity';

/** One kind of event-sourced record: its stream category and its decider. */
export interface RecordType<C, S extends { exists: boolean }, E> {
  readonly kind: RecordKind;
  readonly decider: Decider<C, S, E>;
  /** Other records a command points at, which must exist for it to be accepted (checked before deciding). */
  references?(command: C): ReadonlyArray<{ record: RecordType<unknown, { exists: boolean }, unknown>; id: string }>;
}

export type LeadRecord = RecordType<LeadCommand, LeadState, LeadEvent>;
export type AccountRecord = RecordType<AccountCommand, AccountState, AccountEvent>;
export type ContactRecord = RecordType<ContactCommand, ContactState, ContactEvent>;
export type OpportunityRecord = RecordType<OpportunityCommand, OpportunityState, OpportunityEvent>;

export const LEAD_RECORD: LeadRecord = { kind: 'lead', decider: leadDecider };
export const ACCOUNT_RECORD: AccountRecord = { kind: 'account', decider: accountDecider };
export const CONTACT_RECORD: ContactRecord = {
  kind: 'contact',
  decider: contactDecider,
  references: (c) => (c.type === 'CreateContact' ? [{ record: ACCOUNT_RECORD, id: c.accountId }] : []),
};
/** The default stage catalogue's opportunities; a configured catalogue would build its own with createOpportunityDecider. */
export const OPPORTUNITY_RECORD: OpportunityRecord = {
  kind: 'opportunity',
  decider: opportunityDecider,
  references: (c) => (c.type === 'CreateOpportunity' ? [{ record: ACCOUNT_RECORD, id: c.accountId }] : []),
};
