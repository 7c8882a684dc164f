/** Leads: the vocabulary (statuses, sources, channels), the commands, the events and the state. */

export const LEAD_STATUS = {
  open: 'Open - Not Contacted',
  working: 'Working - Contacted',
  nurturing: 'Nurturing',
  converted: 'Closed - Converted',
  disqualified: 'Closed - Not Converted',
} as const;
export type LeadStatus = (typeof LEAD_STATUS)[keyof typeof LEAD_STATUS];

export const LEAD_SOURCES = [
  'Web Form',
  'Purchased List',
  'Referral',
  'Partner',
  'Trade Show',
  'Webinar',
  'Social',
  'Advertisement',
  'Phone Inquiry',
  'Other',
] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

export const LEAD_RATINGS = ['Hot', 'Warm', 'Cold'] as const;
export type LeadRating = (typeof LEAD_RATINGS)[number];

export const CONTACT_CHANNELS = ['call', 'email', 'meeting', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/**
 * Why a lead was disqualified, as sales teams sort it so that it can be counted: the BANT gaps (no budget, no authority,
 * no need, bad timing), no answer, lost to a competitor, a duplicate, contact details that do not work, or something
 * else, which must then be said in words.
 */
export const DISQUALIFICATION_REASON_CODES = [
  'no_budget',
  'no_authority',
  'no_need',
  'bad_timing',
  'unresponsive',
  'competitor',
  'duplicate',
  'invalid_contact',
  'other',
] as const;
export type DisqualificationReasonCode = (typeof DISQUALIFICATION_REASON_CODES)[number];

/**
 * How a submission was found to be a lead that exists already: the same email address (case-insensitive), or the same
 * first name, last name and company (case- and accent-insensitive). See lead-identity.ts.
 */
export const DUPLICATE_MATCHES = ['email', 'name-and-company'] as const;
export type DuplicateMatch = (typeof DUPLICATE_MATCHES)[number];

/** The descriptive fields of a lead: what "update details" may change. Absent optional fields are null. */
export interface LeadDetails {
  firstName: string | null;
  lastName: string;
  company: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  source: LeadSource;
  campaign: string | null;
  industry: string | null;
  rating: LeadRating | null;
}

export interface Bant {
  budget: boolean;
  authority: boolean;
  need: boolean;
  timeline: boolean;
}

// ---------------------------------------------------------------- commands
// Every command names its lead and carries `at`: the business time it happened (ISO 8601 UTC), so deciders need no clock.

interface LeadCommandBase {
  leadId: string;
  at: string;
}
export interface CreateLead extends LeadCommandBase {
  type: 'CreateLead';
  details: LeadDetails;
  owner: string;
}
export interface UpdateLeadDetails extends LeadCommandBase {
  type: 'UpdateLeadDetails';
  changes: Partial<LeadDetails>;
}
export interface ChangeLeadOwner extends LeadCommandBase {
  type: 'ChangeLeadOwner';
  owner: string;
}
export interface LogLeadContact extends LeadCommandBase {
  type: 'LogLeadContact';
  channel: ContactChannel;
  note: string | null;
}
export interface RecordLeadQualification extends LeadCommandBase {
  type: 'RecordLeadQualification';
  bant: Bant;
  note: string | null;
}
export interface StartLeadNurture extends LeadCommandBase {
  type: 'StartLeadNurture';
  reason: string | null;
}
export interface DisqualifyLead extends LeadCommandBase {
  type: 'DisqualifyLead';
  reasonCode: DisqualificationReasonCode;
  /** Free text; required when the code is `other`, optional (null) otherwise. */
  reason: string | null;
}
export interface ReopenLead extends LeadCommandBase {
  type: 'ReopenLead';
  reason: string | null;
}

/** What the conversion produces. The handler chooses ids and checks that existing records exist. */
export interface ConvertLead extends LeadCommandBase {
  type: 'ConvertLead';
  account: { mode: 'new'; accountId: string; name: string } | { mode: 'existing'; accountId: string };
  /** For an existing contact, `accountId` is the account that contact belongs to (it must be the target account). */
  contact: { mode: 'new'; contactId: string } | { mode: 'existing'; contactId: string; accountId: string };
  /** null: the caller chose not to create an opportunity. */
  opportunity: null | {
    opportunityId: string;
    name: string;
    stage: string;
    closeDate: string;
    amount: number | null;
    currency: string | null;
  };
}

/** The person's right to erasure: their personal fields become unreadable for good (see shared/personal-data.ts). */
export interface EraseLeadPersonalData extends LeadCommandBase {
  type: 'EraseLeadPersonalData';
}

/**
 * Someone submitted a web form (or another intake) again for a lead that exists already: the same email, or the same
 * name and company. The submission is recorded on the existing lead instead of creating a second one. It changes
 * neither the lead's status nor its details; people decide what to do with what was submitted.
 */
export interface RecordDuplicateSubmission extends LeadCommandBase {
  type: 'RecordDuplicateSubmission';
  /** The intake form the submission came through. */
  formId: string;
  /** The submission's own id (the form's), unique per form. */
  submissionId: string;
  matchedOn: DuplicateMatch;
  submitted: SubmittedLeadDetails;
}

export type LeadCommand =
  | EraseLeadPersonalData
  | CreateLead
  | UpdateLeadDetails
  | ChangeLeadOwner
  | LogLeadContact
  | RecordLeadQualification
  | StartLeadNurture
  | DisqualifyLead
  | ReopenLead
  | ConvertLead
  | RecordDuplicateSubmission;

// ---------------------------------------------------------------- events

export interface LeadCreated {
  type: 'LeadCreated';
  data: LeadDetails & { leadId: string; owner: string; status: LeadStatus; createdAt: string };
}
export interface LeadDetailsUpdated {
  type: 'LeadDetailsUpdated';
  /** Only the fields that changed, with their new values. */
  data: { leadId: string; changes: Partial<LeadDetails> };
}
export interface LeadOwnerChanged {
  type: 'LeadOwnerChanged';
  data: { leadId: string; previousOwner: string; owner: string };
}
export interface LeadContacted {
  type: 'LeadContacted';
  data: { leadId: string; channel: ContactChannel; note: string | null; contactedAt: string; status: LeadStatus };
}
export interface LeadQualified {
  type: 'LeadQualified';
  /** A BANT assessment was recorded; `qualified` is its verdict (budget, authority and need all present). */
  data: { leadId: string; bant: Bant; qualified: boolean; note: string | null; assessedAt: string };
}
export interface LeadNurtureStarted {
  type: 'LeadNurtureStarted';
  data: { leadId: string; reason: string | null; status: LeadStatus };
}
/**
 * Schema version 2: a reason code and, optionally, words (required for `other`). Version 1 had the words alone; stored
 * version 1 events are upcast to this shape (reasonCode `other`) before any decider or projection sees them.
 */
export interface LeadDisqualified {
  type: 'LeadDisqualified';
  data: { leadId: string; reasonCode: DisqualificationReasonCode; reason: string | null; disqualifiedAt: string; status: LeadStatus };
}
export interface LeadReopened {
  type: 'LeadReopened';
  data: { leadId: string; reason: string | null; status: LeadStatus };
}

/** Snapshot of everything the follow-up writes need, so they can be completed from this event alone. */
export interface LeadConversion {
  leadId: string;
  convertedAt: string;
  source: LeadSource;
  owner: string;
  account: { accountId: string; created: boolean; name: string; industry: string | null };
  contact: {
    contactId: string;
    created: boolean;
    firstName: string | null;
    lastName: string;
    title: string | null;
    email: string | null;
    phone: string | null;
  };
  opportunity: null | {
    opportunityId: string;
    name: string;
    stage: string;
    closeDate: string;
    amount: number | null;
    currency: string | null;
  };
  status: LeadStatus;
}
export interface LeadConverted {
  type: 'LeadConverted';
  data: LeadConversion;
}

/** The lead's personal fields were erased (their data key deleted): every earlier event shows them as erased from now on. */
export interface LeadPersonalDataErased {
  type: 'LeadPersonalDataErased';
  data: { leadId: string; erasedAt: string };
}

/** What a duplicate submission said about the person, as submitted (the lead's own details are not changed by it). */
export interface SubmittedLeadDetails {
  firstName: string | null;
  lastName: string;
  email: string | null;
  phone: string | null;
  company: string;
  title: string | null;
}

export interface LeadDuplicateSubmitted {
  type: 'LeadDuplicateSubmitted';
  data: {
    leadId: string;
    formId: string;
    submissionId: string;
    matchedOn: DuplicateMatch;
    submitted: SubmittedLeadDetails;
    submittedAt: string;
  };
}

export type LeadEvent =
  | LeadPersonalDataErased
  | LeadCreated
  | LeadDetailsUpdated
  | LeadOwnerChanged
  | LeadContacted
  | LeadQualified
  | LeadNurtureStarted
  | LeadDisqualified
  | LeadReopened
  | LeadConverted
  | LeadDuplicateSubmitted;

// ---------------------------------------------------------------- state

export interface LeadState {
  exists: boolean;
  leadId: string | null;
  details: LeadDetails | null;
  owner: string | null;
  status: LeadStatus | null;
  createdAt: string | null;
  contactCount: number;
  lastContactedAt: string | null;
  qualification: (Bant & { qualified: boolean; note: string | null; assessedAt: string }) | null;
  /** Why it is disqualified, while it is: the code, and the words given with it (null when none were). */
  disqualificationReasonCode: DisqualificationReasonCode | null;
  disqualificationReason: string | null;
  conversion: { convertedAt: string; accountId: string; contactId: string; opportunityId: string | null } | null;
  /** When the lead's personal data was erased; null while it is not. */
  personalDataErasedAt: string | null;
}
