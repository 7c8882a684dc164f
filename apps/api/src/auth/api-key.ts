import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An API key as a service holds it: `plk_<id>_<secret>`. The id (16 hex digits) names the key in the store, in
 * `keys list` and as the actor `key:<id>`; the secret (32 random bytes, base64url) is shown once, at creation, and
 * only its SHA-256 is kept. A SHA-256 suffices (no slow hash): the secret is 256 random bits, not a password.
 */
export const API_KEY_PREFIX = 'plk_';
const API_KEY = /^plk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyParts {
  id: string;
  secret: string;
}

export function newApiKey(): ApiKeyParts & { key: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `${API_KEY_PREFIX}${id}_${secret}` };
}

/** The id and secret of a well-formed key; null for anything else. */
export function parseApiKey(key: string): ApiKeyParts | null {
  const match = API_KEY.exec(key.trim());
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_PREFIX);
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Does the secret match the stored hash? In constant time. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const given = hashSecret(secret);
  return given.length === storedHash.length && timingSafeEqual(given, storedHash);
}
