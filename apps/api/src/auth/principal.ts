import type { Role } from './roles';

/** Who is calling: established by authentication, never by anything else the client sends. */
export interface Principal {
  /** Recorded as the actor of every event the request causes, e.g. `user:alice` (a token's subject) or `key:3f2a…` (an API key's id). */
  actor: string;
  kind: 'user' | 'api-key' | 'form';
  roles: readonly Role[];
  /** May see personal fields (the `pii` grant, or the admin role). */
  pii: boolean;
}
