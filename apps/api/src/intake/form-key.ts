import { randomBytes } from 'node:crypto';
import { hashSecret } from '../auth/api-key';

/**
 * A web form's key: `plf_<form id>_<secret>`, the secret 32 random bytes in base64url (43 characters). It is shown
 * once, when the form is created; only the SHA-256 of the secret is kept, and a presented secret is compared with it
 * in constant time. The form id in the key finds the form without a search over hashes.
 *
 * The key sits in a public web page's HTML, so it is not a secret from that page's visitors: it says which form a
 * submission comes through (its source, owner, campaign), lets that form be revoked, and is what submissions are
 * rate-limited by. Guessing one for a form you have not seen is hopeless (256 bits).
 */
const KEY_FORMAT = /^plf_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const SECRET_BYTES = 32;

export interface FormKeyParts {
  formId: string;
  secret: string;
}

/** A new key for a form, and what is stored of it. */
export function newFormKey(formId: string): { key: string; secretHash: Buffer } {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const key = `plf_${formId}_${secret}`;
  if (!KEY_FORMAT.test(key)) throw new Error(`form id ${formId} cannot make a key: it must be a lowercase UUID`);
  return { key, secretHash: hashSecret(secret) };
}

/** The parts of a well-formed key; null for anything else. */
export function parseFormKey(key: unknown): FormKeyParts | null {
  if (typeof key !== 'string') return null;
  const match = KEY_FORMAT.exec(key.trim());
  return match ? { formId: match[1], secret: match[2] } : null;
}

/** A form key's secret is kept as API keys' are: its SHA-256, compared in constant time. */
export { hashSecret as hashFormSecret, secretMatches as formSecretMatches } from '../auth/api-key';
