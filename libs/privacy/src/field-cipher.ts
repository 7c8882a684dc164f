import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for one text field. A sealed field is a string, `pl:enc:1:` + base64url(nonce(12) | tag(16) | ciphertext),
 * so an event keeps its shape when stored. The subject's id is the additional authenticated data: a sealed value
 * copied into another subject's event does not open.
 */
export const SEALED_PREFIX = 'pl:enc:1:';
const NONCE = 12;
const TAG = 16;

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

export function sealField(key: Buffer, subject: string, plaintext: string): string {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(subject, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url');
}

/** The plaintext of a sealed field; throws when the key, the subject or the bytes are not the ones it was sealed with. */
export function openField(key: Buffer, subject: string, sealed: string): string {
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
  if (raw.length < NONCE + TAG) throw new Error('sealed field is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE));
  decipher.setAAD(Buffer.from(subject, 'utf8'));
  decipher.setAuthTag(raw.subarray(NONCE, NONCE + TAG));
  return Buffer.concat([decipher.update(raw.subarray(NONCE + TAG)), decipher.final()]).toString('utf8');
}
