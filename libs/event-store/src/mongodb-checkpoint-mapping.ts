import { inspect } from 'node:util';
import { UpdateFilter } from 'mongodb';

/**
 * How MongoCheckpointStore keeps a position: pure functions, unit-tested without a server
 * (mongodb-checkpoint-mapping.spec.ts).
 *
 * Positions are bigints of any size (EventStoreDB's is commit * 2^64 + prepare, 128 bits), wider than anything BSON
 * has for numbers (a double is exact to 2^53, a long to 2^63, a decimal128 to 34 digits). So a position is kept as its
 * decimal digits in a string, as SQLite keeps it, and read back only if it is such a string.
 */

/** A checkpoint: `_id` is the subscriber's name. */
export interface CheckpointDocument {
  _id: string;
  position: string;
  updatedAt: Date;
}

const DECIMAL = /^-?(0|[1-9][0-9]*)$/;

export function encodePosition(position: bigint): string {
  return position.toString();
}

export function decodePosition(stored: unknown): bigint {
  if (typeof stored !== 'string' || !DECIMAL.test(stored)) {
    throw new TypeError(`A checkpoint position must be a string of decimal digits, found ${inspect(stored)}`);
  }
  return BigInt(stored);
}

/** Saving: the whole checkpoint replaced by the new position (upserted by name), whichever way it moved. */
export function saveCheckpointUpdate(position: bigint, updatedAt: Date): UpdateFilter<CheckpointDocument> {
  return { $set: { position: encodePosition(position), updatedAt } };
}

/** The position of a checkpoint document as read back, or null when there is none. */
export function positionOf(document: Pick<CheckpointDocument, 'position'> | null): bigint | null {
  return document ? decodePosition(document.position) : null;
}
