import Database from 'better-sqlite3';
import { fromSqlitePosition, toSqlitePosition } from './sqlite-position';

describe('global positions in SQLite columns', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, position INTEGER)');
  const insert = db.prepare('INSERT INTO t (position) VALUES (?)');
  const select = db.prepare<[number | bigint], { position: bigint | Buffer | null }>('SELECT position FROM t WHERE id = ?').safeIntegers(true);
  afterAll(() => db.close());

  const roundTrip = (position: bigint) => fromSqlitePosition(select.get(insert.run(toSqlitePosition(position)).lastInsertRowid)!.position);

  it('keeps 64-bit positions as INTEGERs and wider ones (EventStoreDB pairs) as BLOBs, exactly', () => {
    for (const position of [0n, 1n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, (123_456_789n << 64n) | 987_654_321n, 2n ** 128n - 1n]) {
      expect(roundTrip(position)).toBe(position);
    }
    expect(typeof toSqlitePosition(2n ** 63n - 1n)).toBe('bigint');
    expect(Buffer.isBuffer(toSqlitePosition(2n ** 63n))).toBe(true);
  });

  it('refuses what is not a position, and reads null as null', () => {
    expect(() => toSqlitePosition(-1n)).toThrow(RangeError);
    expect(() => toSqlitePosition(2n ** 128n)).toThrow(RangeError);
    expect(fromSqlitePosition(null)).toBeNull();
    expect(() => fromSqlitePosition(Buffer.alloc(8))).toThrow(RangeError);
  });
});
