import { DisqualificationReasonCode, ERASED, LEAD_DETAIL_FIELDS, LeadDetails, LeadStatus, maskPersonalFields } from '@pipeline-ledger/domain';
import { Projection } from '../projection';
import { businessDay, occurredAt } from './business-time';
import { domainEventOf } from './domain-event';
import { LEAD_EVENT_TYPES, leadIdOf } from './lead-events';

export const LEAD_LIST = 'lead_list';

/**
 * One row per lead, for the lead list: filters (status, source, owner, company, created window), text search (name,
 * company, email), sorting and paging. `name` is "first last", kept so that a search for "Ada Lovelace" matches.
 * Personal fields are kept as the events give them: in the clear (the read-model file is the service's own, like a
 * cache), and "[erased]" once the person is erased; the erasure event rewrites the row at once, and a rebuild reads
 * the erased values from the log.
 */
export interface LeadListDocument extends LeadDetails {
  id: string;
  name: string;
  owner: string;
  status: LeadStatus;
  createdAt: string;
  /** YYYY-MM-DD (UTC) of createdAt, for the created window. */
  createdDay: string;
  contactCount: number;
  lastContactedAt: string | null;
  /** The verdict of the last BANT assessment; null before any. */
  qualified: boolean | null;
  /** Why it is disqualified, while it is: the code (version 1 disqualifications read as "other") and the words. */
  disqualificationReasonCode: DisqualificationReasonCode | null;
  disqualificationReason: string | null;
  convertedAt: string | null;
  accountId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  /** Business time of the last event that changed the row. */
  updatedAt: string;
  [field: string]: unknown;
}

export const leadsListProjection: Projection<LeadListDocument> = {
  name: 'leads-list',
  // 2: rows carry the disqualification's reason code (LeadDisqualified v2). 3: erasure masks the personal fields.
  version: 3,
  collections: [
    {
      name: LEAD_LIST,
      indexedFields: ['status', 'source', 'owner', 'company', 'campaign', 'createdDay', 'createdAt', 'lastName', 'name', 'email', 'updatedAt'],
    },
  ],
  eventTypes: LEAD_EVENT_TYPES,
  entityCollection: LEAD_LIST,
  entityId: leadIdOf,
  apply(event, current) {
    const e = domainEventOf(event);
    if (!e) return {};
    const at = occurredAt(event);
    if (e.type === 'LeadCreated') {
      const d = e.data;
      const details = pickDetails(d);
      return {
        document: {
          id: d.leadId,
          ...details,
          name: fullName(details),
          owner: d.owner,
          status: d.status,
          createdAt: d.createdAt,
          createdDay: businessDay(d.createdAt),
          contactCount: 0,
          lastContactedAt: null,
          qualified: null,
          disqualificationReasonCode: null,
          disqualificationReason: null,
          convertedAt: null,
          accountId: null,
          contactId: null,
          opportunityId: null,
          updatedAt: d.createdAt,
        },
      };
    }
    // Every other event changes a lead that exists; without its row (never the case from position 0) there is nothing to change.
    if (!current) return {};
    switch (e.type) {
      case 'LeadDetailsUpdated': {
        const details: LeadDetails = { ...pickDetails(current), ...knownChanges(e.data.changes) };
        return { document: { ...current, ...details, name: fullName(details), updatedAt: at } };
      }
      case 'LeadOwnerChanged':
        return { document: { ...current, owner: e.data.owner, updatedAt: at } };
      case 'LeadContacted':
        return {
          document: {
            ...current,
            status: e.data.status,
            contactCount: current.contactCount + 1,
            lastContactedAt: e.data.contactedAt,
            updatedAt: occurredAt(event, e.data.contactedAt),
          },
        };
      case 'LeadQualified':
        return { document: { ...current, qualified: e.data.qualified, updatedAt: occurredAt(event, e.data.assessedAt) } };
      case 'LeadNurtureStarted':
      case 'LeadReopened':
        return { document: { ...current, status: e.data.status, disqualificationReasonCode: null, disqualificationReason: null, updatedAt: at } };
      case 'LeadDisqualified':
        return {
          document: {
            ...current,
            status: e.data.status,
            disqualificationReasonCode: e.data.reasonCode,
            disqualificationReason: e.data.reason,
            updatedAt: occurredAt(event, e.data.disqualifiedAt),
          },
        };
      case 'LeadConverted':
        return {
          document: {
            ...current,
            status: e.data.status,
            convertedAt: e.data.convertedAt,
            accountId: e.data.account.accountId,
            contactId: e.data.contact.contactId,
            opportunityId: e.data.opportunity?.opportunityId ?? null,
            updatedAt: occurredAt(event, e.data.convertedAt),
          },
        };
      case 'LeadPersonalDataErased': {
        const details = maskPersonalFields(pickDetails(current), ERASED);
        return { document: { ...current, ...details, name: fullName(details), updatedAt: at } };
      }
      default:
        return {};
    }
  },
};

function pickDetails(source: LeadDetails): LeadDetails {
  const details = {} as Record<keyof LeadDetails, unknown>;
  for (const field of LEAD_DETAIL_FIELDS) details[field] = source[field] ?? null;
  return details as LeadDetails;
}

/** The detail fields a change set gives a value to (null clears an optional one). */
function knownChanges(changes: Partial<LeadDetails>): Partial<LeadDetails> {
  const known: Partial<LeadDetails> = {};
  for (const field of LEAD_DETAIL_FIELDS) if (changes[field] !== undefined) Object.assign(known, { [field]: changes[field] });
  return known;
}

function fullName(details: Pick<LeadDetails, 'firstName' | 'lastName'>): string {
  return [details.firstName, details.lastName].filter((part) => part).join(' ');
}
