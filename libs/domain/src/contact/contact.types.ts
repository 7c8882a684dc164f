/** Contacts: qualified people; each belongs to exactly one account. */
import type { LeadSource } from '../lead/lead.types';

export interface ContactDetails {
  firstName: string | null;
  lastName: string;
  title: string | null;
  email: string | null;
  phone: string | null;
}

export type ContactFillableFields = Partial<Omit<ContactDetails, 'lastName'>>;
/** What a merge filled: only fields the contact had empty, each with the lead's non-blank text (never null). */
export type ContactFilledFields = { [K in keyof ContactFillableFields]?: string };

export interface CreateContact {
  type: 'CreateContact';
  contactId: string;
  accountId: string;
  at: string;
  details: ContactDetails;
  owner: string;
  source: LeadSource | null;
  leadId: string | null;
}
/** A converted lead merged into an existing contact of the account: fills only empty fields. */
export interface MergeLeadIntoContact {
  type: 'MergeLeadIntoContact';
  contactId: string;
  at: string;
  leadId: string;
  fields: ContactFillableFields;
}
export type ContactCommand = CreateContact | MergeLeadIntoContact;

export interface ContactCreated {
  type: 'ContactCreated';
  data: ContactDetails & {
    contactId: string;
    accountId: string;
    owner: string;
    source: LeadSource | null;
    leadId: string | null;
    createdAt: string;
  };
}
export interface ContactMergedFromLead {
  type: 'ContactMergedFromLead';
  data: { contactId: string; leadId: string; filled: ContactFilledFields };
}
export type ContactEvent = ContactCreated | ContactMergedFromLead;

export interface ContactState {
  exists: boolean;
  contactId: string | null;
  accountId: string | null;
  details: ContactDetails | null;
  owner: string | null;
  source: LeadSource | null;
  createdAt: string | null;
  leadIds: string[];
}
