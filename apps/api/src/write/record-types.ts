import {
  AccountCommand,
  AccountEvent,
  AccountState,
  ContactCommand,
  ContactEvent,
  ContactState,
  DEFAULT_STAGE_CATALOGUE,
  Decider,
  LeadCommand,
  LeadEvent,
  LeadState,
  OpportunityCommand,
  OpportunityEvent,
  OpportunityState,
  StageCatalogue,
  accountDecider,
  contactDecider,
  createLeadDecider,
  createOpportunityDecider,
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

/** The four records, with the deciders of the configured stage catalogue. */
export interface Records {
  readonly catalogue: StageCatalogue;
  readonly lead: LeadRecord;
  readonly account: AccountRecord;
  readonly contact: ContactRecord;
  readonly opportunity: OpportunityRecord;
}

export function buildRecords(catalogue: StageCatalogue): Records {
  const account: AccountRecord = { kind: 'account', decider: accountDecider };
  const accountOf = (accountId: string) => [{ record: account, id: accountId }];
  return {
    catalogue,
    lead: { kind: 'lead', decider: createLeadDecider(catalogue) },
    account,
    contact: {
      kind: 'contact',
      decider: contactDecider,
      references: (c) => (c.type === 'CreateContact' ? accountOf(c.accountId) : []),
    },
    opportunity: {
      kind: 'opportunity',
      decider: createOpportunityDecider(catalogue),
      references: (c) => (c.type === 'CreateOpportunity' ? accountOf(c.accountId) : []),
    },
  };
}

/** Injection token for the Records of the configured catalogue. */
export const RECORDS = Symbol('RECORDS');

/** The records of the default catalogue (for tools that run without the application's configuration). */
export const DEFAULT_RECORDS = buildRecords(DEFAULT_STAGE_CATALOGUE);
