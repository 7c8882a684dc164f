/** Accounts: the companies we sell to. */
import type { LeadSource } from '../lead/lead.types';

export interface AccountDetails {
  name: string;
  industry: string | null;
  website: string | null;
  phone: string | null;
  billingCountry: string | null;
}

/** Fields a lead merge may fill when the account has them empty. */
export type AccountFillableFields = Partial<Omit<AccountDetails, 'name'>>;
/** What a merge filled: only fields the account had empty, each with the lead's non-blank text (never null). */
export type AccountFilledFields = { [K in keyof AccountFillableFields]?: string };

export interface CreateAccount {
  type: 'CreateAccount';
  accountId: string;
  at: string;
  details: AccountDetails;
  owner: string;
  source: LeadSource | null;
  /** The lead whose conversion created it, if any. */
  leadId: string | null;
}
/** A converted lead merged into an existing account: fills only the fields the account has empty. */
export interface MergeLeadIntoAccount {
  type: 'MergeLeadIntoAccount';
  accountId: string;
  at: string;
  leadId: string;
  fields: AccountFillableFields;
}
export type AccountCommand = CreateAccount | MergeLeadIntoAccount;

export interface AccountCreated {
  type: 'AccountCreated';
  data: AccountDetails & { accountId: string; owner: string; source: LeadSource | null; leadId: string | null; createdAt: string };
}
export interface AccountMergedFromLead {
  type: 'AccountMergedFromLead';
  /** `filled` holds only the fields that were empty and are now set (possibly none). */
  data: { accountId: string; leadId: string; filled: AccountFilledFields };
}
export type AccountEvent = AccountCreated | AccountMergedFromLead;

export interface AccountState {
  exists: boolean;
  accountId: string | null;
  details: AccountDetails | null;
  owner: string | null;
  source: LeadSource | null;
  createdAt: string | null;
  /** Leads converted into this account, in order. */
  leadIds: string[];
}
