import { Binary, Document, Filter, IndexDescription, UpdateFilter } from 'mongodb';
import { InCreationOrder } from '../infrastructure/mongodb-creation-order';
import { NewApiKey, StoredApiKey } from './api-key-store.port';
import { Role, isRole } from './roles';

/**
 * How MongoApiKeyStore lays API keys out as documents, and the writes it sends: pure functions, unit-tested without a
 * server (mongodb-api-key-mapping.spec.ts).
 */

/**
 * An API key: `_id` is the key's id; the hash is BSON binary (subtype 0); times are kept as the ISO 8601 strings the
 * port gives, character for character (so they sort as SQLite sorts them); `seq` is the creation order
 * (../infrastructure/mongodb-creation-order.ts), which breaks ties between keys created at the same time.
 */
export interface ApiKeyDocument extends InCreationOrder, Omit<StoredApiKey, 'id' | 'roles' | 'secretHash'> {
  /** As given; a role no longer defined is dropped when read. */
  roles: string[];
  secretHash: Binary;
}

/** What a revoked key's hash becomes: 32 zero bytes, whatever it was (SQLite's zeroblob(32)). */
export const WIPED_SECRET_HASH = Buffer.alloc(32);

/** Oldest first: by createdAt, then in creation order (SQLite's ORDER BY created_at, rowid). */
export const API_KEY_LIST_ORDER = { createdAt: 1, seq: 1 } as const;

/** The index list() sorts by (the creation order's own unique index is CREATION_ORDER_INDEX). */
export const API_KEY_LIST_INDEX: IndexDescription = { key: API_KEY_LIST_ORDER, name: 'createdAt_seq' };

/** A new key's document, all but its place in the creation order; nothing revoked, never used. */
export function newApiKeyDocument(key: NewApiKey): Omit<ApiKeyDocument, 'seq'> {
  return {
    _id: key.id,
    name: key.name,
    roles: [...key.roles],
    pii: key.pii === true,
    secretHash: new Binary(Buffer.from(key.secretHash)),
    createdAt: key.createdAt,
    revokedAt: null,
    lastUsedAt: null,
  };
}

/** A key as the port answers it: the roles it knows only (as SQLite reads them), the hash in a Buffer of its own. */
export function toStoredApiKey(document: ApiKeyDocument): StoredApiKey {
  const roles = (Array.isArray(document.roles) ? (document.roles as unknown[]) : []).filter((r): r is Role => typeof r === 'string' && isRole(r));
  return {
    id: document._id,
    name: document.name,
    roles,
    pii: document.pii === true,
    secretHash: secretHashOf(document),
    createdAt: document.createdAt,
    revokedAt: document.revokedAt ?? null,
    lastUsedAt: document.lastUsedAt ?? null,
  };
}

/** The hash as read back (the driver gives BSON binary as a Binary), copied into a Buffer of its own. */
export function secretHashOf(document: Pick<ApiKeyDocument, 'secretHash'>): Buffer {
  const { secretHash } = document;
  if (!(secretHash instanceof Binary)) throw new TypeError('An API key document whose secret hash is not BSON binary');
  return Buffer.from(secretHash.value());
}

export function byId(id: string): Filter<ApiKeyDocument> {
  return { _id: id };
}

/**
 * Revoking, in one update of the document (so atomic): the first revocation's time is kept ($ifNull, SQLite's
 * COALESCE), and the hash is wiped every time. An update pipeline, so that the time can depend on the stored one; the
 * values are $literal, so that a time starting with "$" is not read as a field path.
 */
export function revokeUpdate(at: string): Document[] {
  return [
    {
      $set: {
        revokedAt: { $ifNull: ['$revokedAt', { $literal: at }] },
        secretHash: { $literal: new Binary(Buffer.from(WIPED_SECRET_HASH)) },
      },
    },
  ];
}

export function markUsedUpdate(at: string): UpdateFilter<ApiKeyDocument> {
  return { $set: { lastUsedAt: at } };
}
