import { setTimeout } from 'node:timers/promises';
import { Collection, Filter, IndexDescription, MongoServerError, OptionalUnlessRequiredId } from 'mongodb';

/**
 * Creation order for documents kept under their own ids (API keys, webhook subscriptions), as a SQLite table's rowid
 * gives it: each new document gets `seq`, one more than the largest `seq` in its collection, which is SQLite's own rule
 * for a new rowid. The rule is made safe across processes by a unique index on `seq`: two creations that read the same
 * largest `seq` cannot both insert with the next one; the one refused reads it again and tries again. So a creation
 * that starts after another has finished, in any process, comes after it, whatever the clocks say; creations at the
 * same time get some order; two documents never share a place.
 * It lives in the collection itself, so it stays right whatever is done to the collection as a whole (a restore, a
 * copy); a creation after the last document was deleted may take its `seq` again, as SQLite does with its rowid.
 *
 * The pure parts (nextSeq, duplicateKeyOf) are unit-tested in mongodb-creation-order.spec.ts; insertInCreationOrder
 * runs against a server in the stores' integration specs.
 */

export interface InCreationOrder {
  _id: string;
  /** 1, 2, 3... in the order the documents were inserted (gaps where some were deleted). */
  seq: number;
}

/** The unique index on `seq`: it finds the largest at once, and refuses a second document with the same. */
export const CREATION_ORDER_INDEX: IndexDescription = { key: { seq: 1 }, name: 'seq_unique', unique: true };

/**
 * How many times a creation is tried when other creations keep taking the next `seq` first. Of creations that read the
 * same largest `seq`, one always succeeds, so n creations at the same moment take at most n attempts; creations are
 * rare (the CLI, an admin), so this bound is never near.
 */
const ATTEMPTS = 100;

/** After losing a place, a short random pause (up to this many ms), so that creations at once do not keep colliding. */
const RETRY_JITTER_MS = 10;

const DUPLICATE_KEY = 11000;

/** The `seq` of the next document, given the document with the largest one (null: the collection is empty). */
export function nextSeq(last: { seq?: unknown } | null): number {
  if (last === null) return 1;
  const { seq } = last;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || seq >= Number.MAX_SAFE_INTEGER) {
    throw new TypeError(`A stored creation order must be a positive integer, found ${JSON.stringify(seq)}`);
  }
  return seq + 1;
}

/**
 * Which unique key an insert was refused for: 'id' (the id is taken), 'seq' (another creation took the same place),
 * 'unknown' (a duplicate-key error that does not say which: servers before 4.2 may not); null: not a duplicate-key error.
 */
export function duplicateKeyOf(error: unknown): 'id' | 'seq' | 'unknown' | null {
  if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) return null;
  const pattern: unknown = error['keyPattern'];
  if (pattern !== null && typeof pattern === 'object') {
    if (Object.hasOwn(pattern, '_id')) return 'id';
    if (Object.hasOwn(pattern, 'seq')) return 'seq';
  }
  return 'unknown';
}

/**
 * Inserts `document` with the next `seq` (see above), and gives it back as stored. A document with the same id
 * already there: the insert is refused, with MongoDB's duplicate-key error, and nothing is changed (as SQLite refuses
 * a second row with the same primary key). The collection must have CREATION_ORDER_INDEX.
 */
export async function insertInCreationOrder<T extends InCreationOrder>(collection: Collection<T>, document: Omit<T, 'seq'>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const last = await collection.findOne({}, { sort: { seq: -1 }, projection: { _id: 0, seq: 1 } });
    const stored = { ...document, seq: nextSeq(last) } as T;
    try {
      await collection.insertOne(stored as OptionalUnlessRequiredId<T>);
      return stored;
    } catch (error) {
      const duplicate = duplicateKeyOf(error);
      if (duplicate === null || duplicate === 'id' || attempt >= ATTEMPTS) throw error;
      if (duplicate === 'unknown' && (await collection.countDocuments({ _id: document._id } as Filter<T>, { limit: 1 })) > 0) throw error;
      await setTimeout(Math.random() * RETRY_JITTER_MS);
    }
  }
}
