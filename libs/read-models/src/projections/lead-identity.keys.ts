import { hash } from 'node:crypto';
import { normalizeEmail, normalizeNameText } from '@pipeline-ledger/domain';

/**
 * The keys duplicate leads are found by: SHA-256 (hex) of the normalized email, first name, last name and company
 * (normalization: libs/domain lead-identity.ts), and of the three name parts together. The read model keeps these,
 * never the text: it can say "this email is lead X's" to whoever already has the email, and nothing to anyone else.
 *
 * They are plain (unkeyed) hashes, so a guess can be checked against them: pseudonymous, not anonymous. Erasing a
 * lead clears them (see lead-identities.projection.ts).
 */
export interface LeadIdentityKeys {
  emailKey: string | null;
  firstNameKey: string | null;
  lastNameKey: string | null;
  companyKey: string | null;
  /** The first name, last name and company together; null without a last name or a company. */
  nameAndCompanyKey: string | null;
}

export type IdentityPart = 'email' | 'first-name' | 'last-name' | 'company';

/** The hash of one normalized part; null for none. Each part is hashed under its own label. */
export function identityKey(part: IdentityPart, normalized: string | null): string | null {
  return normalized === null ? null : sha256(`pipeline-ledger lead identity\n${part}\n${normalized}`);
}

/** A missing first name counts as the empty one; without a last name or a company there is no key. */
export function nameAndCompanyKey(parts: Pick<LeadIdentityKeys, 'firstNameKey' | 'lastNameKey' | 'companyKey'>): string | null {
  if (parts.lastNameKey === null || parts.companyKey === null) return null;
  return sha256(`pipeline-ledger lead identity\nname-and-company\n${parts.firstNameKey ?? ''}\n${parts.lastNameKey}\n${parts.companyKey}`);
}

/** The keys of a lead's (or a submission's) details. */
export function leadIdentityKeys(details: { email?: string | null; firstName?: string | null; lastName?: string | null; company?: string | null }): LeadIdentityKeys {
  const parts = {
    emailKey: identityKey('email', normalizeEmail(details.email)),
    firstNameKey: identityKey('first-name', normalizeNameText(details.firstName)),
    lastNameKey: identityKey('last-name', normalizeNameText(details.lastName)),
    companyKey: identityKey('company', normalizeNameText(details.company)),
  };
  return { ...parts, nameAndCompanyKey: nameAndCompanyKey(parts) };
}

/** One-shot (crypto.hash): cheaper than createHash for short text, and an import hashes five per row. */
function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}
