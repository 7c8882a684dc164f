import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header that carries a delivery's signature: `sha256=<hex HMAC-SHA256 of the exact body bytes>`. */
export const SIGNATURE_HEADER = 'X-Pipeline-Signature';

/** A new subscription's secret: 32 random bytes, base64url (43 characters). The HMAC key is this text, as UTF-8. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The signature header's value for a body: `sha256=` and the hex HMAC-SHA256 of its bytes with the secret. */
export function signWebhookBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * For subscribers (and tests): does the signature header match the body as received, byte for byte? Check it
 * against the raw body, before parsing it: a body parsed and serialised again need not have the same bytes.
 * Compares in constant time; a missing or malformed header is simply false.
 */
export function verifyWebhookSignature(secret: string, body: string | Buffer, signature: string | undefined | null): boolean {
  if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(signature.trim())) return false;
  const expected = Buffer.from(signWebhookBody(secret, body).slice('sha256='.length), 'hex');
  const given = Buffer.from(signature.trim().slice('sha256='.length), 'hex');
  return timingSafeEqual(expected, given);
}
