/**
 * A global position in a SQLite column (a checkpoint of the read models, a webhook subscription's position): an
 * INTEGER while it fits in 64 bits, which every position of the SQLite event store does, and a 16-byte big-endian
 * BLOB beyond (EventStoreDB's commit/prepare pairs take up to 128 bits). A BLOB is never converted by an INTEGER
 * column's affinity, which would turn a number too large for 64 bits into an inexact REAL. Read the column with
 * safeIntegers on.
 */
export type SqlitePosition = bigint | Buffer;

const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MASK = 2n ** 64n - 1n;

export function toSqlitePosition(position: bigint): SqlitePosition {
  if (position < 0n || position >= 2n ** 128n) throw new RangeError(`${position} is not a global position`);
  if (position <= INT64_MAX) return position;
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64BE(position >> 64n, 0);
  bytes.writeBigUInt64BE(position & UINT64_MASK, 8);
  return bytes;
}

export function fromSqlitePosition(stored: SqlitePosition | null): bigint | null {
  if (stored === null || typeof stored === 'bigint') return stored;
  if (stored.length !== 16) throw new RangeError(`a stored position BLOB has 16 bytes, not ${stored.length}`);
  return (stored.readBigUInt64BE(0) << 64n) | stored.readBigUInt64BE(8);
}
