import { JWTPayload, JWTVerifyGetKey, KeyLike, createLocalJWKSet, errors, jwtVerify } from 'jose';
import { JwtConfig } from '../config/auth-config';
import { AccessError } from './access.errors';
import { Principal, principalFor } from './principal';
import { PII_GRANT, Role, isRole } from './roles';

/** Verified tokens kept in memory: clients send the same token with every request until it expires. */
const VERIFIED_CACHE_SIZE = 10_000;
/** How long a verified token is answered from memory at most (never past its exp). */
const VERIFIED_CACHE_MS = 5 * 60_000;

/** What a token's subject may look like: it becomes the actor `user:<sub>`, recorded in events. */
const SUBJECT = /^[^\s\x00-\x1f\x7f]{1,200}$/;

/**
 * Checks bearer JWTs: HS256 with JWT_SECRET and/or RS256 with the configured public key or JWKS, each algorithm
 * only with its own kind of key (no algorithm confusion, no `none`); signature, `exp` (required) and `nbf`, and
 * `iss` / `aud` when configured. The claims give the principal: `sub` -> actor `user:<sub>`, `roles` (an array of
 * role names; unknown names are ignored; `pii` in it grants the personal fields, as does a boolean `pii` claim).
 *
 * A token that verified is answered from memory until its exp (at most 5 minutes): verifying the same token again
 * would give the same principal, and doing it on every request cost a sixth of the service's commands/s
 * (bench:security). Only tokens that verified are kept, and the configuration (keys, issuer, audience) is fixed for
 * the life of the process.
 */
export class JwtVerifier {
  private readonly algorithms: string[];
  private readonly getKey: JWTVerifyGetKey;
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly config: JwtConfig) {
    const rsa = config.rs256;
    const jwks = rsa?.kind === 'jwks' ? createLocalJWKSet(rsa.jwks) : null;
    this.algorithms = [...(config.hs256Secret ? ['HS256'] : []), ...(rsa ? ['RS256'] : [])];
    this.getKey = async (header, token): Promise<KeyLike | Uint8Array> => {
      if (header.alg === 'HS256' && config.hs256Secret) return config.hs256Secret;
      if (header.alg === 'RS256' && rsa) return jwks ? jwks(header, token) : (rsa as { key: KeyLike }).key;
      throw new errors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`);
    };
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.verified.get(token);
    if (cached && Date.now() < cached.until) return cached.principal;
    if (cached) this.verified.delete(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        algorithms: this.algorithms,
        requiredClaims: ['exp', 'sub'],
        ...(this.config.issuer ? { issuer: this.config.issuer } : {}),
        ...(this.config.audience ? { audience: this.config.audience } : {}),
      }));
    } catch (error) {
      throw AccessError.invalidCredentials(describe(error, this.algorithms));
    }
    const principal = principalOfClaims(payload);
    this.remember(token, principal, (payload.exp as number) * 1000);
    return principal;
  }

  private remember(token: string, principal: Principal, expiresAt: number): void {
    this.verified.set(token, { principal, until: Math.min(expiresAt, Date.now() + VERIFIED_CACHE_MS) });
    if (this.verified.size > VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
  }
}

/** The principal a verified token's claims describe. */
export function principalOfClaims(payload: JWTPayload): Principal {
  const sub = payload.sub;
  if (typeof sub !== 'string' || !SUBJECT.test(sub)) throw AccessError.invalidCredentials('the "sub" claim must be 1 to 200 printable characters');
  const claimed = payload['roles'] ?? [];
  if (!Array.isArray(claimed) || !claimed.every((r) => typeof r === 'string')) throw AccessError.invalidCredentials('the "roles" claim must be an array of role names');
  const roles = (claimed as string[]).filter(isRole) as Role[];
  const grant = (claimed as string[]).includes(PII_GRANT) || payload[PII_GRANT] === true;
  return principalFor(`user:${sub}`, 'user', roles, grant);
}

/** Why a token was refused, in words that never repeat the token. */
function describe(error: unknown, algorithms: readonly string[]): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's claims do not hold: ${error.message}`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `the token's algorithm is not accepted (accepted: ${algorithms.join(', ')})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token\'s signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the configured JWKS matches the token';
  if (error instanceof errors.JOSEError) return `not a valid token (${error.message})`;
  return 'not a valid token';
}
