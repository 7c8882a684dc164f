import { SignJWT } from 'jose';
import type { Role } from '../../apps/api/src/auth/roles';

/** The HS256 secret the test apps (and the api processes tests and benchmarks start) are configured with. */
export const TEST_JWT_SECRET = 'pipeline-ledger-tests-only-secret-32+bytes';

export interface TokenOptions {
  /** The token's subject: the actor is user:<sub>. Default: one named after the roles. */
  sub?: string;
  /** The pii grant (as a claim in the roles array). */
  pii?: boolean;
  /** Seconds from now; negative for an expired token. Default: one hour. */
  expiresIn?: number;
  secret?: string;
}

/** A bearer JWT for these roles, signed with the test secret. */
export function tokenFor(roles: readonly Role[], options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: [...roles, ...(options.pii ? ['pii'] : [])] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.sub ?? `test-${roles.join('-') || 'nobody'}`)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 3600))
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

/** The `Authorization` header value for these roles. */
export async function bearer(roles: readonly Role[], options: TokenOptions = {}): Promise<string> {
  return `Bearer ${await tokenFor(roles, options)}`;
}

/** The subject of the admin the test apps act as when a request carries no credential: events record user:test-admin. */
export const TEST_ADMIN_ACTOR = 'user:test-admin';
