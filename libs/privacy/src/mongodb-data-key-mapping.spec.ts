import { Binary, BSON } from 'mongodb';
import {
  addKeyOperations,
  byIds,
  DataKeyDocument,
  ErasureDocument,
  erasureMap,
  recordErasureOperations,
  wrappedKeyOf,
} from './mongodb-data-key-mapping';

/** The document an insert-only upsert creates: its filter's _id and its $setOnInsert fields. */
function insertedBy(operation: ReturnType<typeof addKeyOperations>[number]): Record<string, unknown> {
  if (!('updateOne' in operation)) throw new Error('expected an updateOne');
  const { filter, update } = operation.updateOne;
  return { ...(filter as object), ...((update as { $setOnInsert: object }).$setOnInsert as object) };
}

/** Through BSON and back, as a document goes to the server and comes back from it. */
const roundTrip = <T>(document: Record<string, unknown>): T => BSON.deserialize(BSON.serialize(document)) as T;

describe('MongoDataKeyStore mapping', () => {
  const createdAt = new Date('2026-11-23T10:00:00.000Z');

  describe('addKeyOperations', () => {
    it('upserts each key by its id, only ever inserting (a stored key is never replaced)', () => {
      const operations = addKeyOperations([{ id: 'k1', wrapped: Buffer.alloc(60, 1) }], createdAt);
      expect(operations).toHaveLength(1);
      const [operation] = operations;
      expect(operation).toEqual({
        updateOne: {
          filter: { _id: 'k1' },
          update: { $setOnInsert: { wrapped: expect.any(Binary), createdAt } },
          upsert: true,
        },
      });
    });

    it('stores the wrapped key as generic BSON binary holding exactly its bytes', () => {
      const wrapped = Buffer.from('0123456789abcdef', 'hex');
      const document = insertedBy(addKeyOperations([{ id: 'k1', wrapped }], createdAt)[0]);
      const binary = document.wrapped as Binary;
      expect(binary.sub_type).toBe(Binary.SUBTYPE_DEFAULT);
      expect(Buffer.from(binary.value())).toEqual(wrapped);
    });

    it('keeps the first key of an id given twice in one batch, as SQLite does', () => {
      const operations = addKeyOperations(
        [
          { id: 'k1', wrapped: Buffer.alloc(60, 1) },
          { id: 'k2', wrapped: Buffer.alloc(60, 2) },
          { id: 'k1', wrapped: Buffer.alloc(60, 9) },
        ],
        createdAt,
      );
      const documents = operations.map(insertedBy);
      expect(documents.map((d) => d._id)).toEqual(['k1', 'k2']);
      expect(wrappedKeyOf(documents[0] as unknown as DataKeyDocument)).toEqual(Buffer.alloc(60, 1));
    });
  });

  describe('wrappedKeyOf', () => {
    it('reads a key back, through BSON, as a Buffer equal to the one stored', () => {
      const wrapped = Buffer.from(Array.from({ length: 60 }, (_, i) => i * 4));
      const stored = insertedBy(addKeyOperations([{ id: 'k1', wrapped }], createdAt)[0]);
      const read = roundTrip<DataKeyDocument>(stored);
      expect(read.wrapped).toBeInstanceOf(Binary);
      const key = wrappedKeyOf(read);
      expect(Buffer.isBuffer(key)).toBe(true);
      expect(key).toEqual(wrapped);
      expect(read._id).toBe('k1');
      expect(read.createdAt).toEqual(createdAt);
    });

    it('gives a Buffer of its own, not a view on the document it came from', () => {
      const read = roundTrip<DataKeyDocument>({ _id: 'k1', wrapped: new Binary(Buffer.alloc(60, 7)) });
      const key = wrappedKeyOf(read);
      key.fill(0);
      expect(Buffer.from(read.wrapped.value())).toEqual(Buffer.alloc(60, 7));
    });

    it('refuses a document whose key is not binary', () => {
      expect(() => wrappedKeyOf({ wrapped: 'not binary' as unknown as Binary })).toThrow(TypeError);
    });
  });

  describe('erasures', () => {
    it('records each subject once, only ever inserting (an erasure keeps its first time)', () => {
      expect(recordErasureOperations(['s1', 's2', 's1'], '2026-11-24T10:00:00.000Z')).toEqual([
        { updateOne: { filter: { _id: 's1' }, update: { $setOnInsert: { erasedAt: '2026-11-24T10:00:00.000Z' } }, upsert: true } },
        { updateOne: { filter: { _id: 's2' }, update: { $setOnInsert: { erasedAt: '2026-11-24T10:00:00.000Z' } }, upsert: true } },
      ]);
    });

    it('records nothing for no subject', () => {
      expect(recordErasureOperations([], '2026-11-24T10:00:00.000Z')).toEqual([]);
    });

    it('answers erasures as subject -> erasedAt, the time exactly as it was given', () => {
      const read = roundTrip<ErasureDocument>({ _id: 's1', erasedAt: '2026-11-24T10:00:00.000Z' });
      expect(erasureMap([read])).toEqual(new Map([['s1', '2026-11-24T10:00:00.000Z']]));
    });
  });

  it('selects documents by their ids, each id once', () => {
    expect(byIds<DataKeyDocument>(['k1', 'k2', 'k1'])).toEqual({ _id: { $in: ['k1', 'k2'] } });
  });
});
