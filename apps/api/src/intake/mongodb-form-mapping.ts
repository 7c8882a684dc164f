import { Binary, Filter, Sort, UpdateFilter } from 'mongodb';
import { LeadSource } from '@pipeline-ledger/domain';
import { IntakeForm } from './intake-form';

/**
 * How MongoFormStore lays a web form out as a document, and the writes and reads it sends: pure functions,
 * unit-tested without a server (mongodb-form-mapping.spec.ts).
 */

/**
 * A web form: `_id` is its id; the SHA-256 of its key's secret as BSON binary (subtype 0); the times the ISO 8601
 * strings the port gives, kept character for character (as SQLite keeps them), so they sort as SQLite sorts them.
 * revokedAt is null, never missing, until the form is revoked.
 */
export interface FormDocument {
  _id: string;
  name: string;
  secretHash: Binary;
  source: string;
  owner: string;
  campaign: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** A form document without its secret's hash: what get and list read. */
export type FormFields = Omit<FormDocument, 'secretHash'>;

/** get and list leave the hash on the server: only credentials needs it. */
export const WITHOUT_SECRET_HASH = { secretHash: 0 } as const;

/**
 * SQLite's `ORDER BY created_at, id`: oldest first, forms created in the same millisecond by id. Both compare
 * strings by their UTF-8 bytes (SQLite's BINARY collation, MongoDB's comparison without a collation), and `_id` is
 * unique, so the order is total and the same in both stores.
 */
export const FORM_LIST_ORDER: Sort = { createdAt: 1, _id: 1 };

/** The document of a new form: the port's fields only (whatever else the object carries), not revoked. */
export function newFormDocument(form: Omit<IntakeForm, 'revokedAt'>, secretHash: Buffer): FormDocument {
  return {
    _id: form.id,
    name: form.name,
    secretHash: new Binary(Buffer.from(secretHash)),
    source: form.source,
    owner: form.owner,
    campaign: form.campaign ?? null,
    createdAt: form.createdAt,
    revokedAt: null,
  };
}

/** Revoking: only a form not revoked yet (a missing revokedAt counts as null), so the first time stays. */
export function revokeFilter(id: string): Filter<FormDocument> {
  return { _id: id, revokedAt: null };
}

export function revokeUpdate(at: string): UpdateFilter<FormDocument> {
  return { $set: { revokedAt: at } };
}

/** A form document as the port answers it (the hash, if read, left out). */
export function formOf(document: FormFields): IntakeForm {
  return {
    id: document._id,
    name: document.name,
    source: document.source as LeadSource,
    owner: document.owner,
    campaign: document.campaign ?? null,
    createdAt: document.createdAt,
    revokedAt: document.revokedAt ?? null,
  };
}

/** The secret's hash of a document as read back (the driver returns BSON binary as a Binary), in a Buffer of its own. */
export function secretHashOf(document: Pick<FormDocument, 'secretHash'>): Buffer {
  const { secretHash } = document;
  // The value is not shown: a hash of a secret has no place in a log.
  if (!(secretHash instanceof Binary)) throw new TypeError(`A form document whose secret hash is not BSON binary (found ${kindOf(secretHash)})`);
  return Buffer.from(secretHash.value());
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'an object';
}
