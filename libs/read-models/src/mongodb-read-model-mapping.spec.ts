import { Long } from 'mongodb';
import {
  CHECKPOINT_HEX_DIGITS,
  batchOperations,
  checkpointUpdate,
  counterOperation,
  decodeCheckpoint,
  encodeCheckpoint,
  escapeRegex,
  fieldPath,
  fromStoredDocument,
  fromStoredValue,
  indexDescriptions,
  mongoFilter,
  mongoFind,
  mongoSort,
  newProjection,
  physicalCollection,
  slotOf,
  sumPipeline,
  sumRows,
  toProjectionState,
  toStoredDocument,
  toStoredValue,
} from './mongodb-read-model-mapping';
import { ReadModelBatch } from './read-model-store.port';

/** The mapping is tested as what it builds: no server, no mock of one. */
const long = (n: number) => Long.fromNumber(n);

describe('MongoDB read-model mapping', () => {
  describe('names', () => {
    it('puts each generation of a collection in a collection of its own', () => {
      expect(physicalCollection('pipeline_buckets', 1)).toBe('rm_pipeline_buckets_g1');
      expect(physicalCollection('a1', 12)).toBe('rm_a1_g12');
      expect(physicalCollection('x'.repeat(64), 2 ** 40).length).toBeLessThanOrEqual(100);
    });

    it('refuses a collection name or generation that could not be one', () => {
      for (const name of ['Items', 'items-x', '1items', 'a.b', 'system.x', '$cmd', '', 'x'.repeat(65)]) {
        expect(() => physicalCollection(name, 1)).toThrow(/invalid collection name/);
      }
      for (const generation of [0, -1, 1.5, NaN]) expect(() => physicalCollection('items', generation)).toThrow(/invalid generation/);
    });

    it('stores a document id as _id, and refuses field names that are paths or operators', () => {
      expect(fieldPath('id')).toBe('_id');
      expect(fieldPath('closeDate')).toBe('closeDate');
      for (const name of ['a.b', '$where', '_id', 'a b', '']) expect(() => fieldPath(name)).toThrow(/invalid field name/);
    });
  });

  describe('checkpoints', () => {
    it('encodes a checkpoint as 32 zero-padded hex digits, and back', () => {
      expect(encodeCheckpoint(0n)).toBe('0'.repeat(32));
      expect(encodeCheckpoint(255n)).toBe(`${'0'.repeat(30)}ff`);
      expect(encodeCheckpoint(2n ** 128n - 1n)).toBe('f'.repeat(32));
      const eventStorePosition = 123_456_789n * 2n ** 64n + 987_654_321n; // commit * 2^64 + prepare
      expect(encodeCheckpoint(eventStorePosition)).toHaveLength(CHECKPOINT_HEX_DIGITS);
      for (const value of [0n, 1n, 2n ** 53n + 1n, 2n ** 64n, eventStorePosition, 2n ** 128n - 1n]) {
        expect(decodeCheckpoint(encodeCheckpoint(value))).toBe(value);
      }
      expect(decodeCheckpoint(null)).toBeNull();
      expect(decodeCheckpoint(undefined)).toBeNull();
    });

    it('keeps string order the same as numeric order, across digit counts and beyond 64 bits', () => {
      const values = [0n, 9n, 10n, 15n, 16n, 255n, 256n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 64n + 1n, 3n * 2n ** 64n, 2n ** 127n, 2n ** 128n - 1n];
      const shuffled = [...values].reverse().map(encodeCheckpoint);
      expect([...shuffled].sort()).toEqual(values.map(encodeCheckpoint));
      for (let i = 1; i < values.length; i++) expect(encodeCheckpoint(values[i - 1]) < encodeCheckpoint(values[i])).toBe(true);
    });

    it('refuses negatives, values of 2^128 and more, and what is not a bigint', () => {
      expect(() => encodeCheckpoint(-1n)).toThrow(RangeError);
      expect(() => encodeCheckpoint(2n ** 128n)).toThrow(RangeError);
      expect(() => encodeCheckpoint(5 as unknown as bigint)).toThrow(TypeError);
      for (const stored of ['F'.repeat(32), '1', 'g'.repeat(32), 5, 5.5, `${'0'.repeat(31)}1 `]) {
        expect(() => decodeCheckpoint(stored)).toThrow(/corrupt stored checkpoint/);
      }
    });

    it('moves a checkpoint only with a guard: the generation in its slot, its checkpoint null or below the new one', () => {
      expect(checkpointUpdate('leads-list', 'active', 3, 10n)).toEqual({
        filter: {
          _id: 'leads-list',
          'active.generation': 3,
          $or: [{ 'active.checkpoint': null }, { 'active.checkpoint': { $lt: encodeCheckpoint(10n) } }],
        },
        update: { $set: { 'active.checkpoint': encodeCheckpoint(10n) } },
      });
      expect(checkpointUpdate('p', 'rebuilding', 4, 2n ** 64n).update).toEqual({ $set: { 'rebuilding.checkpoint': '0000000000000001' + '0'.repeat(16) } });
      expect(() => checkpointUpdate('p', 'active', 1, -5n)).toThrow(RangeError);
    });
  });

  describe('numbers and documents', () => {
    it('stores every safe integer as an Int64, other numbers as doubles, the rest as JSON would', () => {
      expect(toStoredValue(42)).toEqual(long(42));
      expect(toStoredValue(42)).toBeInstanceOf(Long);
      expect(toStoredValue(-7)).toEqual(long(-7));
      expect(toStoredValue(2 ** 40)).toEqual(long(2 ** 40));
      expect(toStoredValue(Number.MAX_SAFE_INTEGER)).toEqual(long(Number.MAX_SAFE_INTEGER));
      expect(toStoredValue(2.5)).toBe(2.5);
      expect(toStoredValue(2 ** 53)).toBe(2 ** 53); // already rounded by JavaScript: kept a double
      expect(toStoredValue(NaN)).toBeNull();
      expect(toStoredValue(Infinity)).toBeNull();
      expect(toStoredValue('7')).toBe('7');
      expect(toStoredValue(true)).toBe(true);
      expect(toStoredValue(null)).toBeNull();
      expect(toStoredValue(new Date('2026-01-02T03:04:05.000Z'))).toBe('2026-01-02T03:04:05.000Z');
      expect(toStoredValue({ list: [1, 'two', null, undefined, 1.5], nested: { n: 3, gone: undefined } })).toEqual({
        list: [long(1), 'two', null, null, 1.5],
        nested: { n: long(3) },
      });
      expect(() => toStoredValue(1n)).toThrow(/bigint/);
    });

    it('stores an entity document under its id as _id, first, and reads it back as written', () => {
      const document = { name: 'Ada', id: 'a', amount: 300, rate: 0.5, tags: ['x', 2], nested: { list: [1, 'two', null] }, gone: undefined };
      const stored = toStoredDocument(document);
      expect(stored).toEqual({ _id: 'a', name: 'Ada', amount: long(300), rate: 0.5, tags: ['x', long(2)], nested: { list: [long(1), 'two', null] } });
      expect(Object.keys(stored)).toEqual(['_id', 'name', 'amount', 'rate', 'tags', 'nested']);
      expect('id' in stored).toBe(false);
      const read = fromStoredDocument(stored);
      expect(read).toEqual({ id: 'a', name: 'Ada', amount: 300, rate: 0.5, tags: ['x', 2], nested: { list: [1, 'two', null] } });
      expect(Object.keys(read)[0]).toBe('id');
      expect(typeof read.amount).toBe('number');
    });

    it('refuses a document with an _id of its own', () => {
      expect(() => toStoredDocument({ id: 'a', _id: 'b' })).toThrow(/_id is reserved/);
    });

    it('reads Int64s back as plain numbers, and refuses one that a number cannot hold exactly', () => {
      expect(fromStoredValue(long(Number.MAX_SAFE_INTEGER), 'x')).toBe(Number.MAX_SAFE_INTEGER);
      expect(fromStoredValue(long(Number.MIN_SAFE_INTEGER), 'x')).toBe(Number.MIN_SAFE_INTEGER);
      expect(fromStoredValue({ a: [long(1), { b: long(-2) }], c: 1.5, d: 'e' }, 'x')).toEqual({ a: [1, { b: -2 }], c: 1.5, d: 'e' });
      const tooBig = Long.fromBigInt(2n ** 53n);
      expect(() => fromStoredValue(tooBig, 'counter totals/k')).toThrow(/counter totals\/k: the integer 9007199254740992 is beyond Number.MAX_SAFE_INTEGER/);
      expect(() => fromStoredValue(Long.fromBigInt(-(2n ** 60n)), 'x')).toThrow(RangeError);
      expect(() => fromStoredDocument({ _id: 'k', nested: { n: Long.fromBigInt(2n ** 62n) } })).toThrow(/document k: the integer 4611686018427387904/);
    });
  });

  describe('filters', () => {
    it('maps eq, ne and the ranges to the same operators, the id to _id', () => {
      expect(mongoFilter([{ field: 'stage', op: 'eq', value: 'Prospecting' }])).toEqual({ stage: { $eq: 'Prospecting' } });
      expect(mongoFilter([{ field: 'amount', op: 'ne', value: 100 }])).toEqual({ amount: { $ne: 100 } });
      expect(mongoFilter([{ field: 'flag', op: 'eq', value: true }])).toEqual({ flag: { $eq: true } });
      expect(mongoFilter([{ field: 'id', op: 'eq', value: 'd4' }])).toEqual({ _id: { $eq: 'd4' } });
      expect(mongoFilter([{ field: 'amount', op: 'gt', value: 100 }])).toEqual({ amount: { $gt: 100 } });
      expect(mongoFilter([{ field: 'amount', op: 'gte', value: '1' }])).toEqual({ amount: { $gte: '1' } });
      expect(mongoFilter([{ field: 'stage', op: 'lt', value: 'N' }])).toEqual({ stage: { $lt: 'N' } });
      expect(mongoFilter([{ field: 'stage', op: 'lte', value: 'N' }])).toEqual({ stage: { $lte: 'N' } });
    });

    it('matches a missing field with eq null ($eq null matches missing and null); ne null wants a value', () => {
      expect(mongoFilter([{ field: 'owner', op: 'eq', value: null }])).toEqual({ owner: { $eq: null } });
      expect(mongoFilter([{ field: 'owner', op: 'ne', value: null }])).toEqual({ owner: { $ne: null } });
      expect(mongoFilter([{ field: 'owner', op: 'in', value: ['bob', null] }])).toEqual({ owner: { $in: ['bob', null] } });
    });

    it('keeps an empty in list (it matches nothing), and refuses a null range bound', () => {
      expect(mongoFilter([{ field: 'owner', op: 'in', value: [] }])).toEqual({ owner: { $in: [] } });
      expect(() => mongoFilter([{ field: 'amount', op: 'gt', value: null }])).toThrow(/needs a number or a string/);
      expect(() => mongoFilter([{ field: 'owner', op: 'in', value: 'bob' as never }])).toThrow(/array/);
    });

    it('ands several filters, also two on one field (one index range)', () => {
      expect(mongoFilter(undefined)).toEqual({});
      expect(mongoFilter([])).toEqual({});
      expect(
        mongoFilter([
          { field: 'amount', op: 'gt', value: 100 },
          { field: 'amount', op: 'lte', value: 200 },
          { field: 'stage', op: 'eq', value: 'Prospecting' },
        ]),
      ).toEqual({ $and: [{ amount: { $gt: 100 } }, { amount: { $lte: 200 } }, { stage: { $eq: 'Prospecting' } }] });
    });

    it('refuses values that are not strings, finite numbers, booleans or null, bad fields and unknown ops', () => {
      for (const value of [NaN, Infinity, undefined, {}, [1], 1n]) {
        expect(() => mongoFilter([{ field: 'a', op: 'eq', value: value as never }])).toThrow(/filter values must be/);
      }
      expect(() => mongoFilter([{ field: 'a', op: 'in', value: ['x', {} as never] }])).toThrow(/filter values must be/);
      expect(() => mongoFilter([{ field: 'a.b', op: 'eq', value: 1 }])).toThrow(/invalid field name/);
      expect(() => mongoFilter([{ field: '$where', op: 'eq', value: 1 }])).toThrow(/invalid field name/);
      expect(() => mongoFilter([{ field: 'a', op: 'regex' as never, value: 1 }])).toThrow(/unknown filter op/);
      expect(() => mongoFilter([null as never])).toThrow(/must be an object/);
    });

    it('maps contains to a case-insensitive regex over the fields, every metacharacter escaped', () => {
      expect(mongoFilter([{ fields: ['name'], op: 'contains', value: 'LOVE' }])).toEqual({ name: { $regex: 'LOVE', $options: 'i' } });
      expect(mongoFilter([{ fields: ['name', 'owner', 'id'], op: 'contains', value: 'ali' }])).toEqual({
        $or: [{ name: { $regex: 'ali', $options: 'i' } }, { owner: { $regex: 'ali', $options: 'i' } }, { _id: { $regex: 'ali', $options: 'i' } }],
      });
      expect(mongoFilter([{ fields: ['name'], op: 'contains', value: 'a.*+?()[]{}|^$\\b' }])).toEqual({
        name: { $regex: 'a\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\b', $options: 'i' },
      });
      // SQLite's LIKE wildcards are nothing special here; NUL (refused by MongoDB inside a pattern) becomes \x00.
      expect(escapeRegex('100% r_D')).toBe('100% r_D');
      expect(escapeRegex('a\0b')).toBe('a\\x00b');
    });

    it('escapes so that the pattern matches its text literally, and only it (checked with a JavaScript RegExp)', () => {
      const texts = ['.', '.*', 'a+b', 'x?', '(a)', '[ab]', '{2}', 'a|b', '^a$', 'back\\slash', 'd:\\d', '100%', 'r_D', 'tab\there', 'a/b-c'];
      for (const text of texts) {
        const regex = new RegExp(escapeRegex(text), 'i');
        expect(regex.test(`xx${text.toUpperCase()}yy`)).toBe(true);
        expect(regex.test(`xx${text}yy`)).toBe(true);
      }
      expect(new RegExp(escapeRegex('a.c'), 'i').test('abc')).toBe(false);
      expect(new RegExp(escapeRegex('[ab]'), 'i').test('a')).toBe(false);
      expect(new RegExp(escapeRegex('a|b'), 'i').test('a')).toBe(false);
      expect(new RegExp(escapeRegex('x?'), 'i').test('x')).toBe(false);
      expect(new RegExp(escapeRegex('\0'), 'i').test('a\0b')).toBe(true);
    });

    it('leaves out an empty contains (it matches everything), and refuses one without fields or text', () => {
      expect(mongoFilter([{ fields: ['name'], op: 'contains', value: '' }])).toEqual({});
      expect(mongoFilter([{ fields: ['name'], op: 'contains', value: '' }, { field: 'a', op: 'eq', value: 1 }])).toEqual({ a: { $eq: 1 } });
      expect(() => mongoFilter([{ fields: [], op: 'contains', value: 'x' }])).toThrow(/non-empty list of fields/);
      expect(() => mongoFilter([{ fields: ['name'], op: 'contains', value: 5 as never }])).toThrow(/needs a string/);
      expect(() => mongoFilter([{ fields: ['a.b'], op: 'contains', value: '' }])).toThrow(/invalid field name/);
    });
  });

  describe('sort, paging and indexes', () => {
    it('sorts by the fields given, then by id ascending unless id is among them', () => {
      expect(mongoSort(undefined)).toEqual({ _id: 1 });
      const sort = mongoSort([
        { field: 'stage', direction: 'asc' },
        { field: 'amount', direction: 'desc' },
      ]);
      expect(sort).toEqual({ stage: 1, amount: -1, _id: 1 });
      expect(Object.keys(sort)).toEqual(['stage', 'amount', '_id']);
      expect(mongoSort([{ field: 'id', direction: 'desc' }])).toEqual({ _id: -1 });
      expect(Object.keys(mongoSort([{ field: 'id', direction: 'asc' }, { field: 'name', direction: 'asc' }]))).toEqual(['_id', 'name']);
      expect(mongoSort([{ field: 'owner', direction: 'desc' }, { field: 'owner', direction: 'asc' }])).toEqual({ owner: -1, _id: 1 });
      expect(mongoSort([{ field: 'constructor', direction: 'asc' }])).toEqual({ constructor: 1, _id: 1 });
      expect(() => mongoSort([{ field: 'a', direction: 'up' as never }])).toThrow(/asc or desc/);
    });

    it('pages with skip and limit, checked', () => {
      expect(mongoFind({ limit: 10 })).toEqual({ filter: {}, sort: { _id: 1 }, skip: 0, limit: 10 });
      expect(mongoFind({ limit: 0, offset: 20, filters: [{ field: 'a', op: 'eq', value: 1 }] })).toEqual({ filter: { a: { $eq: 1 } }, sort: { _id: 1 }, skip: 20, limit: 0 });
      expect(() => mongoFind({ limit: -1 })).toThrow(/limit/);
      expect(() => mongoFind({ limit: 1.5 })).toThrow(/limit/);
      expect(() => mongoFind({ limit: 1, offset: -1 })).toThrow(/offset/);
    });

    it('makes one index per entry, compound ones in order, each ending with _id; none for id alone', () => {
      const indexes = indexDescriptions(['name', ['owner', 'closeDate'], 'id', ['id', 'x'], ['a', 'id', 'b']]);
      expect(indexes).toEqual([
        { key: { name: 1, _id: 1 } },
        { key: { owner: 1, closeDate: 1, _id: 1 } },
        { key: { _id: 1, x: 1 } },
        { key: { a: 1, _id: 1, b: 1 } },
      ]);
      expect(Object.keys(indexes[1].key)).toEqual(['owner', 'closeDate', '_id']);
      expect(indexDescriptions([])).toEqual([]);
      expect(() => indexDescriptions(['a.b'])).toThrow(/invalid field name/);
    });
  });

  describe('sums', () => {
    it('adds up everything that matches into one group without groupBy, counting the documents', () => {
      expect(sumPipeline({ groupBy: [], sum: ['count', 'amount'] })).toEqual([
        { $group: { _id: null, count: { $sum: '$count' }, amount: { $sum: '$amount' }, documents: { $sum: 1 } } },
      ]);
      expect(sumPipeline({ groupBy: [], sum: [] })).toEqual([{ $group: { _id: null, documents: { $sum: 1 } } }]);
    });

    it('groups a missing field with null, filters first, sorts the groups', () => {
      expect(sumPipeline({ filters: [{ field: 'currency', op: 'eq', value: 'EUR' }], groupBy: ['stage', 'id'], sum: ['count'] })).toEqual([
        { $match: { currency: { $eq: 'EUR' } } },
        {
          $group: {
            _id: { stage: { $ifNull: ['$stage', null] }, id: { $ifNull: ['$_id', null] } },
            count: { $sum: '$count' },
            documents: { $sum: 1 },
          },
        },
        { $sort: { _id: 1 } },
      ]);
    });

    it('refuses a field both grouped and summed, named twice, or called documents', () => {
      expect(() => sumPipeline({ groupBy: ['a'], sum: ['a'] })).toThrow(/both grouped and summed/);
      expect(() => sumPipeline({ groupBy: [], sum: ['documents'] })).toThrow(/documents/);
      expect(() => sumPipeline({ groupBy: ['a', 'a'], sum: [] })).toThrow(/twice/);
      expect(() => sumPipeline({ groupBy: ['a.b'], sum: [] })).toThrow(/invalid field name/);
    });

    it("reads the groups' rows back as plain numbers, with their group values", () => {
      const query = { groupBy: ['stage', 'year', 'closed'], sum: ['count', 'amount'] };
      const rows = sumRows([{ _id: { stage: null, year: long(2026), closed: true }, count: long(3), amount: 2.5, documents: 2 }], query);
      expect(rows).toEqual([{ stage: null, year: 2026, closed: true, count: 3, amount: 2.5, documents: 2 }]);
      expect(sumRows([{ _id: null, count: long(0), documents: long(5) }], { groupBy: [], sum: ['count'] })).toEqual([{ count: 0, documents: 5 }]);
      expect(() => sumRows([{ _id: null, count: Long.fromBigInt(2n ** 55n), documents: 1 }], { groupBy: [], sum: ['count'] })).toThrow(/sum of count/);
    });
  });

  describe('batches', () => {
    const physical = (collection: string) => {
      if (collection !== 'items' && collection !== 'totals') throw new Error(`no collection ${collection}`);
      return physicalCollection(collection, 2);
    };
    const batch = (parts: Partial<ReadModelBatch>): ReadModelBatch => ({ projection: 'p', generation: 2, upserts: [], deletes: [], increments: [], checkpoint: 1n, ...parts });

    it('builds one ordered list per collection: upserts (replaceOne), then deletes, then counters (updateOne)', () => {
      const operations = batchOperations(
        batch({
          increments: [{ collection: 'totals', id: 's1', group: { stage: 'Won' }, add: { count: 1 } }],
          deletes: [{ collection: 'items', id: 'b' }],
          upserts: [
            { collection: 'items', document: { id: 'a', amount: 10 } },
            { collection: 'items', document: { id: 'a', amount: 11 } },
          ],
        }),
        physical,
      );
      expect([...operations.keys()]).toEqual(['rm_items_g2', 'rm_totals_g2']);
      expect(operations.get('rm_items_g2')).toEqual([
        { replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', amount: long(10) }, upsert: true } },
        { replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', amount: long(11) }, upsert: true } },
        { deleteOne: { filter: { _id: 'b' } } },
      ]);
      expect(operations.get('rm_totals_g2')).toEqual([
        { updateOne: { filter: { _id: 's1' }, update: { $setOnInsert: { stage: 'Won' }, $inc: { count: long(1) } }, upsert: true } },
      ]);
    });

    it('adds up the increments of one counter first, keeping the first group', () => {
      const operations = batchOperations(
        batch({
          increments: [
            { collection: 'totals', id: 's1', group: { stage: 'P', currency: 'EUR' }, add: { count: 1, amount: 500 } },
            { collection: 'totals', id: 's2', group: { stage: 'N', currency: 'EUR' }, add: { count: 1 } },
            { collection: 'totals', id: 's1', group: { stage: 'P', currency: 'EUR' }, add: { count: 1, amount: 250, weighted: 0.5 } },
            { collection: 'totals', id: 's1', group: { stage: 'P', currency: 'EUR' }, add: { count: -1, amount: -50 } },
          ],
        }),
        physical,
      );
      expect(operations.get('rm_totals_g2')).toEqual([
        {
          updateOne: {
            filter: { _id: 's1' },
            update: { $setOnInsert: { stage: 'P', currency: 'EUR' }, $inc: { count: long(1), amount: long(700), weighted: 0.5 } },
            upsert: true,
          },
        },
        { updateOne: { filter: { _id: 's2' }, update: { $setOnInsert: { stage: 'N', currency: 'EUR' }, $inc: { count: long(1) } }, upsert: true } },
      ]);
    });

    it('creates a counter with its group: never an id of the group, not a field it adds to; nulls and Int64 group values kept', () => {
      expect(counterOperation({ collection: 'totals', id: 'k', group: { id: 'other', stage: 'P', count: 9, year: 2026, currency: null }, add: { count: 2 } })).toEqual({
        updateOne: { filter: { _id: 'k' }, update: { $setOnInsert: { stage: 'P', year: long(2026), currency: null }, $inc: { count: long(2) } }, upsert: true },
      });
      expect(counterOperation({ collection: 'totals', id: 'k', group: {}, add: { n: 1 } })).toEqual({
        updateOne: { filter: { _id: 'k' }, update: { $inc: { n: long(1) } }, upsert: true },
      });
      expect(counterOperation({ collection: 'totals', id: 'k', group: { stage: 'P' }, add: {} })).toEqual({
        updateOne: { filter: { _id: 'k' }, update: { $setOnInsert: { stage: 'P' } }, upsert: true },
      });
      expect(counterOperation({ collection: 'totals', id: 'k', group: {}, add: {} })).toEqual({
        updateOne: { filter: { _id: 'k' }, update: { $setOnInsert: {} }, upsert: true },
      });
      expect(() => counterOperation({ collection: 'totals', id: 'k', group: {}, add: { id: 1 } })).toThrow(/cannot add to id/);
      expect(() => counterOperation({ collection: 'totals', id: 'k', group: { _id: 'x' }, add: {} })).toThrow(/_id is reserved/);
    });

    it('checks every entry and names every collection before building anything', () => {
      const unknown = batch({
        upserts: [
          { collection: 'items', document: { id: 'a' } },
          { collection: 'Not-A-Collection', document: { id: 'x' } },
        ],
      });
      expect(() => batchOperations(unknown, physical)).toThrow(/no collection Not-A-Collection/);
      expect(() => batchOperations(batch({ increments: [{ collection: 'elsewhere', id: 'k', group: {}, add: { n: 1 } }] }), physical)).toThrow(/no collection elsewhere/);
      expect(() => batchOperations(batch({ upserts: [{ collection: 'items', document: { id: '' } }] }), physical)).toThrow(/non-empty string id/);
      expect(() => batchOperations(batch({ deletes: [{ collection: 'items', id: 5 as never }] }), physical)).toThrow(/non-empty string id/);
      expect(() => batchOperations(batch({ increments: [{ collection: 'totals', id: 'k', group: {}, add: { n: NaN } }] }), physical)).toThrow(/finite number/);
      expect(batchOperations(batch({}), physical).size).toBe(0);
    });
  });

  describe('projection bookkeeping', () => {
    it('starts a projection with an empty active generation 1, running', () => {
      const stored = newProjection('leads-list', 3);
      expect(stored).toEqual({ _id: 'leads-list', active: { generation: 1, version: 3, checkpoint: null, collections: {} }, rebuilding: null, status: 'running', failure: null });
      expect(toProjectionState(stored)).toEqual({ name: 'leads-list', active: { generation: 1, version: 3, checkpoint: null }, rebuilding: null, status: 'running', failure: null });
    });

    it('reads the checkpoints back as bigints, and finds the slot of a generation', () => {
      const stored = {
        ...newProjection('p', 1),
        active: { generation: 4, version: 1, checkpoint: encodeCheckpoint(2n ** 70n), collections: { items: ['name'] } },
        rebuilding: { generation: 5, version: 2, checkpoint: null, collections: {} },
      };
      expect(toProjectionState(stored)).toMatchObject({ active: { generation: 4, checkpoint: 2n ** 70n }, rebuilding: { generation: 5, version: 2, checkpoint: null } });
      expect(slotOf(stored, 4)).toBe('active');
      expect(slotOf(stored, 5)).toBe('rebuilding');
      expect(slotOf(stored, 3)).toBeNull();
      expect(slotOf({ ...stored, rebuilding: null }, 5)).toBeNull();
    });
  });
});
