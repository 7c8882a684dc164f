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
/** The person's right to erasure: their personal fields become unreadable for good (see shared/personal-data.ts). */
export interface EraseContactPersonalData {
  type: 'EraseContactPersonalData';
  contactId: string;
  at: string;
}
export type ContactCommand = CreateContact | MergeLeadIntoContact | EraseContactPersonalData;

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
/** The contact's personal fields were erased (their data key deleted): every earlier event shows them as erased from now on. */
export interface ContactPersonalDataErased {
  type: 'ContactPersonalDataErased';
  data: { contactId: string; erasedAt: string };
}
export type ContactEvent = ContactCreated | ContactMergedFromLead | ContactPersonalDataErased;

export interface ContactState {
  exists: boolean;
  contactId: string | null;
  accountId: string | null;
  details: ContactDetails | null;
  owner: string | null;
  source: LeadSource | null;
  createdAt: string | null;
  leadIds: string[];
  /** When the contact's personal data was erased; null while it is not. */
  personalDataErasedAt: string | null;
}
