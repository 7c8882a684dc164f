import { BSON, MongoError, MongoServerError } from 'mongodb';
import { CREATION_ORDER_INDEX, duplicateKeyOf, nextSeq } from './mongodb-creation-order';

/** A duplicate-key write error as an insert's writeErrors[0] carries it (the driver throws it as a MongoServerError). */
const duplicateKey = (keyPattern?: Record<string, number>) =>
  new MongoServerError({
    index: 0,
    code: 11000,
    errmsg: 'E11000 duplicate key error collection: pl.webhook_subscriptions index: ...',
    ...(keyPattern && { keyPattern, keyValue: Object.fromEntries(Object.keys(keyPattern).map((key) => [key, 'x'])) }),
  });

describe('creation order on MongoDB', () => {
  it('starts at 1 in an empty collection, and goes on one past the largest', () => {
    expect(nextSeq(null)).toBe(1);
    expect(nextSeq({ seq: 1 })).toBe(2);
    expect(nextSeq({ seq: 41 })).toBe(42);
  });

  it('reads the largest back through BSON as the number it was (an int32, or a double past 2^31)', () => {
    for (const seq of [1, 2 ** 31 - 1, 2 ** 31, 2 ** 40]) {
      const read = BSON.deserialize(BSON.serialize({ seq })) as { seq: unknown };
      expect(nextSeq(read)).toBe(seq + 1);
    }
  });

  it.each([
    ['missing', {}],
    ['a string', { seq: '3' }],
    ['a fraction', { seq: 2.5 }],
    ['zero', { seq: 0 }],
    ['negative', { seq: -1 }],
    ['at the end of the exact integers', { seq: Number.MAX_SAFE_INTEGER }],
    ['a bigint', { seq: 3n }],
  ])('refuses a stored order that is not a positive integer: %s', (_, last) => {
    expect(() => nextSeq(last)).toThrow(TypeError);
  });

  it('keeps the order in a unique index on seq', () => {
    expect(CREATION_ORDER_INDEX).toEqual({ key: { seq: 1 }, name: 'seq_unique', unique: true });
  });

  it('tells a taken id from a taken place in the order, by the key the server names', () => {
    expect(duplicateKeyOf(duplicateKey({ _id: 1 }))).toBe('id');
    expect(duplicateKeyOf(duplicateKey({ seq: 1 }))).toBe('seq');
    expect(duplicateKeyOf(duplicateKey())).toBe('unknown');
  });

  it('is no duplicate key for any other error', () => {
    expect(duplicateKeyOf(new MongoServerError({ code: 112, errmsg: 'WriteConflict' }))).toBeNull();
    expect(duplicateKeyOf(new MongoError('connection closed'))).toBeNull();
    expect(duplicateKeyOf(new Error('E11000'))).toBeNull();
    expect(duplicateKeyOf({ code: 11000, keyPattern: { seq: 1 } })).toBeNull();
  });
});
