/** Commands and events for the lead specs. Only spec files import this (testing/ is left out of the build). */
import {
  ConvertLead,
  LEAD_STATUS,
  LeadCommand,
  LeadConverted,
  LeadCreated,
  LeadDetails,
  LeadDisqualified,
  LeadContacted,
  LeadNurtureStarted,
  RecordDuplicateSubmission,
} from '../lead/lead.types';

export const LEAD_ID = 'L1';
export const T0 = '2025-03-01T09:00:00.000Z';
export const T1 = '2025-03-02T10:00:00.000Z';
export const T2 = '2025-03-03T11:00:00.000Z';

export const DETAILS: LeadDetails = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  company: 'Analytical Engines Ltd',
  title: 'CTO',
  email: 'ada@engines.example',
  phone: '+44 20 1234 5678',
  source: 'Web Form',
  campaign: 'Spring Webinar',
  industry: 'Manufacturing',
  rating: 'Hot',
};

export const created = (overrides: Partial<LeadCreated['data']> = {}): LeadCreated => ({
  type: 'LeadCreated',
  data: { leadId: LEAD_ID, ...DETAILS, owner: 'alice', status: LEAD_STATUS.open, createdAt: T0, ...overrides },
});

export const contacted = (status: LeadContacted['data']['status'] = LEAD_STATUS.working): LeadContacted => ({
  type: 'LeadContacted',
  data: { leadId: LEAD_ID, channel: 'call', note: null, contactedAt: T1, status },
});

export const nurtured: LeadNurtureStarted = {
  type: 'LeadNurtureStarted',
  data: { leadId: LEAD_ID, reason: 'no budget this year', status: LEAD_STATUS.nurturing },
};

export const disqualified: LeadDisqualified = {
  type: 'LeadDisqualified',
  data: { leadId: LEAD_ID, reasonCode: 'no_need', reason: 'not a fit', disqualifiedAt: T1, status: LEAD_STATUS.disqualified },
};

export const convertToNew = (overrides: Partial<ConvertLead> = {}): ConvertLead => ({
  type: 'ConvertLead',
  leadId: LEAD_ID,
  at: T2,
  account: { mode: 'new', accountId: 'A1', name: 'Analytical Engines' },
  contact: { mode: 'new', contactId: 'C1' },
  opportunity: { opportunityId: 'O1', name: 'Engines - 10 units', stage: 'Prospecting', closeDate: '2025-06-30', amount: 1_000_000, currency: 'GBP' },
  ...overrides,
});

export const converted: LeadConverted = {
  type: 'LeadConverted',
  data: {
    leadId: LEAD_ID,
    convertedAt: T2,
    source: 'Web Form',
    owner: 'alice',
    account: { accountId: 'A1', created: true, name: 'Analytical Engines', industry: 'Manufacturing' },
    contact: { contactId: 'C1', created: true, firstName: 'Ada', lastName: 'Lovelace', title: 'CTO', email: 'ada@engines.example', phone: '+44 20 1234 5678' },
    opportunity: null,
    status: LEAD_STATUS.converted,
  },
};

/** A web form submitted again for Ada, by the same email address in other letters. */
export const duplicateSubmission = (overrides: Partial<RecordDuplicateSubmission> = {}): RecordDuplicateSubmission => ({
  type: 'RecordDuplicateSubmission',
  leadId: LEAD_ID,
  at: T2,
  formId: 'F1',
  submissionId: 'S1',
  matchedOn: 'email',
  submitted: { firstName: 'Ada', lastName: 'Lovelace', email: 'ADA@engines.example', phone: null, company: 'Analytical Engines', title: null },
  ...overrides,
});

/** One command of every type, valid on a workable lead. */
export const EVERY_COMMAND: readonly LeadCommand[] = [
  { type: 'CreateLead', leadId: LEAD_ID, at: T2, details: DETAILS, owner: 'alice' },
  { type: 'UpdateLeadDetails', leadId: LEAD_ID, at: T2, changes: { title: 'CEO' } },
  { type: 'ChangeLeadOwner', leadId: LEAD_ID, at: T2, owner: 'bob' },
  { type: 'LogLeadContact', leadId: LEAD_ID, at: T2, channel: 'email', note: null },
  { type: 'RecordLeadQualification', leadId: LEAD_ID, at: T2, bant: { budget: true, authority: true, need: true, timeline: true }, note: null },
  { type: 'StartLeadNurture', leadId: LEAD_ID, at: T2, reason: null },
  { type: 'DisqualifyLead', leadId: LEAD_ID, at: T2, reasonCode: 'no_need', reason: null },
  { type: 'ReopenLead', leadId: LEAD_ID, at: T2, reason: null },
  convertToNew(),
  duplicateSubmission(),
];
