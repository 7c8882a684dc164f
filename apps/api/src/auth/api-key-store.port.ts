import type { Role } from './roles';

/** An API key as stored: never the secret, only its SHA-256. */
export interface StoredApiKey {
  id: string;
  /** Who or what holds it, for people ("web-forms", "billing-sync"). */
  name: string;
  roles: Role[];
  /** Granted the personal fields (admin keys see them anyway). */
  pii: boolean;
  secretHash: Buffer;
  createdAt: string;
  revokedAt: string | null;
  /** Updated at most once a minute per key. */
  lastUsedAt: string | null;
}

export type NewApiKey = Pick<StoredApiKey, 'id' | 'name' | 'roles' | 'pii' | 'secretHash' | 'createdAt'>;

/**
 * Where API keys are kept. The CLI creates, lists and revokes them; the api looks one up on every request that
 * carries one (so a revocation takes effect at the next request, in every process). Adapters: sqlite.api-key-store.ts,
 * mongodb.api-key-store.ts (production); both pass api-key-store.contract.ts.
 */
export interface ApiKeyStore {
  create(key: NewApiKey): Promise<StoredApiKey>;
  get(id: string): Promise<StoredApiKey | null>;
  /** Oldest first, revoked ones included. */
  list(): Promise<StoredApiKey[]>;
  /** The key as revoked (already revoked: unchanged); null when there is no such key. */
  revoke(id: string, at: string): Promise<StoredApiKey | null>;
  markUsed(id: string, at: string): Promise<void>;
  close(): Promise<void>;
}

export const API_KEY_STORE = Symbol('API_KEY_STORE');
