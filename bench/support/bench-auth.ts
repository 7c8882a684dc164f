import { createHmac } from 'node:crypto';

/**
 * Credentials for benchmarks that start the api: it is given BENCH_JWT_SECRET (JWT_SECRET) and every request carries
 * an admin's bearer token, signed here (HS256 is a few lines; no need to wait on an async signer in a hot loop).
 */
export const BENCH_JWT_SECRET = 'pipeline-ledger-benchmarks-only-secret-32+bytes';

/** The environment that makes the api accept the bench's tokens. */
export const BENCH_AUTH_ENV = { JWT_SECRET: BENCH_JWT_SECRET };

/** `Bearer <JWT>` for an admin (user:bench), valid for a day. */
export function benchAuthorization(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'bench', roles: ['admin'], iat: now, exp: now + 86_400 })}`;
  return `Bearer ${unsigned}.${createHmac('sha256', BENCH_JWT_SECRET).update(unsigned).digest('base64url')}`;
}
