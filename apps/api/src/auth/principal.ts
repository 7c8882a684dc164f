import { ROLES_WITH_PII, Role } from './roles';

/** Who is calling: established by authentication, never by anything else the client sends. */
export interface Principal {
  /** Recorded as the actor of every event the request causes, e.g. `user:alice` (a token's subject) or `key:3f2a…` (an API key's id). */
  actor: string;
  kind: 'user' | 'api-key';
  roles: readonly Role[];
  /** May see personal fields: the `pii` grant, or a role that implies it (admin, sales, manager). */
  pii: boolean;
}

/** A principal for the roles and grant a credential carries; pii follows from the grant or a role that implies it. */
export function principalFor(actor: string, kind: Principal['kind'], roles: readonly Role[], piiGrant: boolean): Principal {
  const unique = [...new Set(roles)];
  return { actor, kind, roles: unique, pii: piiGrant || unique.some((r) => ROLES_WITH_PII.includes(r)) };
}
