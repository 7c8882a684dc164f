import { PII_GRANT, Role } from './roles';

/**
 * Refusals of authentication (401) and authorization (403), as values; ApiExceptionFilter maps them, with the other
 * errors, in one place. Messages say what was wrong with a credential, never the credential itself.
 */
export class AccessError extends Error {
  override readonly name = 'AccessError';
  private constructor(
    readonly status: 401 | 403,
    /** UNAUTHENTICATED, FORBIDDEN or PII_GRANT_REQUIRED. */
    readonly code: string,
    message: string,
    /** 401: whether a credential was sent at all (the WWW-Authenticate challenge then says invalid_token). */
    readonly credentialSent = false,
    /** 403: the roles that may call the route (admin among them). */
    readonly requiredRoles?: readonly Role[],
    /** 403: the grant it needs beside the role. */
    readonly requiredGrant?: typeof PII_GRANT,
  ) {
    super(message);
  }

  static missingCredentials(): AccessError {
    return new AccessError(401, 'UNAUTHENTICATED', 'authentication required: send Authorization: Bearer <token or API key>, or X-Api-Key: <API key>');
  }

  static invalidCredentials(reason: string): AccessError {
    return new AccessError(401, 'UNAUTHENTICATED', `invalid credentials: ${reason}`, true);
  }

  static forbidden(route: string, allowed: readonly Role[], held: readonly Role[]): AccessError {
    const has = held.length ? `you have ${held.join(', ')}` : 'you have no role';
    return new AccessError(403, 'FORBIDDEN', `${route} needs the role ${allowed.join(' or ')}; ${has}`, false, allowed);
  }

  static piiRequired(what: string): AccessError {
    return new AccessError(403, 'PII_GRANT_REQUIRED', `${what} needs the ${PII_GRANT} grant (personal fields)`, false, undefined, PII_GRANT);
  }
}
