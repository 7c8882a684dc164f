import { LEAD_STATUS, LeadCreated, LeadDetails } from '@pipeline-ledger/domain';
import { TimedEvent } from './event-log';

/** Lead events for specs, each at a business time. Only what the projections read is realistic; the rest is filler. */

export type LeadCreatedData = LeadCreated['data'];

export function leadCreated(leadId: string, at: string, overrides: Partial<LeadCreatedData> = {}): TimedEvent {
  const details: LeadDetails = {
    firstName: 'Ada',
    lastName: `Lead ${leadId}`,
    company: `Company ${leadId}`,
    title: null,
    email: `${leadId.toLowerCase()}@example.com`,
    phone: null,
    source: 'Web Form',
    campaign: null,
    industry: null,
    rating: null,
  };
  return { at, event: { type: 'LeadCreated', data: { leadId, ...details, owner: 'alice', status: LEAD_STATUS.open, createdAt: at, ...overrides } } };
}

export function leadDetailsUpdated(leadId: string, at: string, changes: Partial<LeadDetails>): TimedEvent {
  return { at, event: { type: 'LeadDetailsUpdated', data: { leadId, changes } } };
}

export function leadOwnerChanged(leadId: string, at: string, previousOwner: string, owner: string): TimedEvent {
  return { at, event: { type: 'LeadOwnerChanged', data: { leadId, previousOwner, owner } } };
}

export function leadContacted(leadId: string, at: string): TimedEvent {
  return { at, event: { type: 'LeadContacted', data: { leadId, channel: 'call', note: null, contactedAt: at, status: LEAD_STATUS.working } } };
}

export function leadQualified(leadId: string, at: string, qualified = true): TimedEvent {
  const bant = { budget: qualified, authority: true, need: true, timeline: false };
  return { at, event: { type: 'LeadQualified', data: { leadId, bant, qualified, note: null, assessedAt: at } } };
}

export function leadDisqualified(leadId: string, at: string): TimedEvent {
  return { at, event: { type: 'LeadDisqualified', data: { leadId, reasonCode: 'no_budget', reason: 'cut this year', disqualifiedAt: at, status: LEAD_STATUS.disqualified } } };
}

export function leadReopened(leadId: string, at: string): TimedEvent {
  return { at, event: { type: 'LeadReopened', data: { leadId, reason: 'budget found', status: LEAD_STATUS.working } } };
}

export function leadNurtureStarted(leadId: string, at: string): TimedEvent {
  return { at, event: { type: 'LeadNurtureStarted', data: { leadId, reason: 'next year', status: LEAD_STATUS.nurturing } } };
}

/** A conversion; `opportunityId` null converts without an opportunity. */
export function leadConverted(leadId: string, at: string, opportunityId: string | null, owner = 'alice'): TimedEvent {
  return {
    at,
    event: {
      type: 'LeadConverted',
      data: {
        leadId,
        convertedAt: at,
        source: 'Web Form',
        owner,
        account: { accountId: `A-${leadId}`, created: true, name: `Company ${leadId}`, industry: null },
        contact: { contactId: `C-${leadId}`, created: true, firstName: 'Ada', lastName: `Lead ${leadId}`, title: null, email: null, phone: null },
        opportunity: opportunityId === null ? null : { opportunityId, name: `Deal ${leadId}`, stage: 'Prospecting', closeDate: '2025-12-31', amount: null, currency: null },
        status: LEAD_STATUS.converted,
      },
    },
  };
}

/** A web-form submission recorded on an existing lead as a duplicate. */
export function leadDuplicateSubmitted(leadId: string, at: string, submissionId = 'S1'): TimedEvent {
  return {
    at,
    event: {
      type: 'LeadDuplicateSubmitted',
      data: {
        leadId,
        formId: 'F1',
        submissionId,
        matchedOn: 'email',
        submitted: { firstName: 'Ada', lastName: `Lead ${leadId}`, email: `${leadId.toLowerCase()}@example.com`, phone: null, company: 'Other', title: null },
        submittedAt: at,
      },
    },
  };
}
