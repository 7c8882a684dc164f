import { DomainEventType, normalizeEmail, normalizeNameText } from '@pipeline-ledger/domain';
import { Projection } from '../projection';
import { domainEventOf } from './domain-event';
import { IdentityPart, LeadIdentityKeys, identityKey, leadIdentityKeys, nameAndCompanyKey } from './lead-identity.keys';
import { leadIdOf } from './lead-events';

export const LEAD_IDENTITIES = 'lead_identities';

/** The erasure of a lead's personal data ({leadId, erasedAt}): this projection forgets the lead. */
export const LEAD_PERSONAL_DATA_ERASED = 'LeadPersonalDataErased' satisfies DomainEventType;

/**
 * Per lead, the hashed keys it is recognised by as a duplicate (lead-identity.keys.ts): the one lookup the write side
 * makes in a read model (architecture.md's named exception), by the web-to-lead intake's DuplicateLeadFinder.
 *
 * A lead stops being matchable, and its keys are cleared, when it is converted (it is read-only for ever, and its person
 * is a contact now) or its personal data are erased. Eventually consistent like every projection: a lead is findable
 * once the projector has applied its LeadCreated (within a second).
 */
export interface LeadIdentityDocument extends LeadIdentityKeys {
  id: string;
  createdAt: string;
  /** null while the lead can be matched; why it no longer can. */
  closed: 'converted' | 'erased' | null;
  [field: string]: unknown;
}

const NO_KEYS: LeadIdentityKeys = { emailKey: null, firstNameKey: null, lastNameKey: null, companyKey: null, nameAndCompanyKey: null };

export const leadIdentitiesProjection: Projection<LeadIdentityDocument> = {
  name: 'lead-identities',
  version: 1,
  collections: [{ name: LEAD_IDENTITIES, indexedFields: ['emailKey', 'nameAndCompanyKey'] }],
  eventTypes: ['LeadCreated', 'LeadDetailsUpdated', 'LeadConverted', LEAD_PERSONAL_DATA_ERASED],
  entityCollection: LEAD_IDENTITIES,
  entityId: leadIdOf,
  apply(event, current) {
    if (event.type === LEAD_PERSONAL_DATA_ERASED) return current ? { document: { ...current, ...NO_KEYS, closed: 'erased' } } : {};
    const e = domainEventOf(event);
    if (!e) return {};
    switch (e.type) {
      case 'LeadCreated':
        return { document: { id: e.data.leadId, createdAt: e.data.createdAt, ...leadIdentityKeys(e.data), closed: null } };
      case 'LeadDetailsUpdated': {
        if (!current || current.closed) return {};
        const { email, firstName, lastName, company } = e.data.changes;
        if (email === undefined && firstName === undefined && lastName === undefined && company === undefined) return {};
        const changed = (part: IdentityPart, value: string | null | undefined, normalize: (v: string | null) => string | null, was: string | null) =>
          value === undefined ? was : identityKey(part, normalize(value));
        const parts = {
          emailKey: changed('email', email, normalizeEmail, current.emailKey),
          firstNameKey: changed('first-name', firstName, normalizeNameText, current.firstNameKey),
          lastNameKey: changed('last-name', lastName, normalizeNameText, current.lastNameKey),
          companyKey: changed('company', company, normalizeNameText, current.companyKey),
        };
        return { document: { ...current, ...parts, nameAndCompanyKey: nameAndCompanyKey(parts) } };
      }
      case 'LeadConverted':
        return current ? { document: { ...current, ...NO_KEYS, closed: 'converted' } } : {};
      default:
        return {};
    }
  },
};
