import { AnyBulkWriteOperation, Binary, Filter } from 'mongodb';
import { StoredDataKey } from './data-key-store.port';

/**
 * How MongoDataKeyStore's values are laid out as documents, and the writes it sends: pure functions, unit-tested
 * without a server (mongodb-data-key-mapping.spec.ts).
 */

/** A data key: `_id` is the key id; the wrapped key is BSON binary (subtype 0). */
export interface DataKeyDocument {
  _id: string;
  wrapped: Binary;
  createdAt: Date;
}

/** An erased subject: `_id` is the subject; erasedAt is kept as the ISO 8601 string it was given, character for character. */
export interface ErasureDocument {
  _id: string;
  erasedAt: string;
}

/** The documents with one of these ids. */
export function byIds<T extends { _id: string }>(ids: readonly string[]): Filter<T> {
  return { _id: { $in: [...new Set(ids)] } } as Filter<T>;
}

/**
 * Adding keys: one upsert per id that only ever inserts ($setOnInsert), so a key already stored is never replaced
 * (as SQLite's ON CONFLICT DO NOTHING), and re-sending the same batch is harmless. An id given twice in one batch
 * keeps its first key, as it would in SQLite.
 */
export function addKeyOperations(keys: readonly StoredDataKey[], createdAt: Date): AnyBulkWriteOperation<DataKeyDocument>[] {
  const first = new Map<string, Buffer>();
  for (const key of keys) if (!first.has(key.id)) first.set(key.id, key.wrapped);
  return [...first].map(([id, wrapped]) => ({
    updateOne: {
      filter: { _id: id },
      update: { $setOnInsert: { wrapped: new Binary(wrapped), createdAt } },
      upsert: true,
    },
  }));
}

/**
 * Recording erasures: one upsert per subject that only ever inserts, so an erasure already recorded keeps its
 * first time.
 */
export function recordErasureOperations(subjects: readonly string[], erasedAt: string): AnyBulkWriteOperation<ErasureDocument>[] {
  return [...new Set(subjects)].map((subject) => ({
    updateOne: { filter: { _id: subject }, update: { $setOnInsert: { erasedAt } }, upsert: true },
  }));
}

/** The wrapped key of a document as read back (the driver returns BSON binary as a Binary), in a Buffer of its own. */
export function wrappedKeyOf(document: Pick<DataKeyDocument, 'wrapped'>): Buffer {
  const { wrapped } = document;
  if (!(wrapped instanceof Binary)) throw new TypeError('A data key document whose wrapped key is not BSON binary');
  return Buffer.from(wrapped.value());
}

/** Erasure documents as the port answers them: subject -> erasedAt. */
export function erasureMap(documents: readonly ErasureDocument[]): Map<string, string> {
  return new Map(documents.map((document) => [document._id, document.erasedAt]));
}
