import { Binary, BSON } from 'mongodb';
import { hashSecret } from './api-key';
import { NewApiKey } from './api-key-store.port';
import {
  API_KEY_LIST_INDEX,
  API_KEY_LIST_ORDER,
  ApiKeyDocument,
  WIPED_SECRET_HASH,
  byId,
  markUsedUpdate,
  newApiKeyDocument,
  revokeUpdate,
  secretHashOf,
  toStoredApiKey,
} from './mongodb-api-key-mapping';
import { Role } from './roles';

/** Through BSON and back, as a document goes to the server and comes back from it. */
const roundTrip = <T>(document: object): T => BSON.deserialize(BSON.serialize(document)) as T;

describe('MongoApiKeyStore mapping', () => {
  const key: NewApiKey = {
    id: '0123456789abcdef',
    name: 'web-forms',
    roles: ['integration', 'analyst'],
    pii: true,
    secretHash: hashSecret('not-a-real-secret'),
    createdAt: '2026-03-01T09:00:00.000Z',
  };
  const stored = (seq = 1): ApiKeyDocument => ({ ...newApiKeyDocument(key), seq });

  describe('a new key', () => {
    it('is a document under its id, never revoked or used yet, with no place in the creation order yet', () => {
      expect(newApiKeyDocument(key)).toEqual({
        _id: '0123456789abcdef',
        name: 'web-forms',
        roles: ['integration', 'analyst'],
        pii: true,
        secretHash: expect.any(Binary),
        createdAt: '2026-03-01T09:00:00.000Z',
        revokedAt: null,
        lastUsedAt: null,
      });
      expect(newApiKeyDocument(key)).not.toHaveProperty('seq');
    });

    it('keeps the hash as generic BSON binary holding exactly its bytes, copied from the key given', () => {
      const secretHash = hashSecret('another');
      const document = newApiKeyDocument({ ...key, secretHash });
      secretHash.fill(0);
      expect(document.secretHash.sub_type).toBe(Binary.SUBTYPE_DEFAULT);
      expect(Buffer.from(document.secretHash.value())).toEqual(hashSecret('another'));
    });

    it('keeps pii as a boolean and the time as the string it was given', () => {
      const document = roundTrip<ApiKeyDocument>(stored());
      expect(document.pii).toBe(true);
      expect(document.createdAt).toBe('2026-03-01T09:00:00.000Z');
      expect(roundTrip<ApiKeyDocument>({ ...newApiKeyDocument({ ...key, pii: false }), seq: 1 }).pii).toBe(false);
    });
  });

  describe('reading a key back', () => {
    it('gives the key as the port has it, through BSON', () => {
      expect(toStoredApiKey(roundTrip<ApiKeyDocument>(stored(7)))).toEqual({ ...key, revokedAt: null, lastUsedAt: null });
    });

    it('gives the hash as a Buffer of its own, not a view on the document', () => {
      const document = roundTrip<ApiKeyDocument>(stored());
      expect(document.secretHash).toBeInstanceOf(Binary);
      const hash = secretHashOf(document);
      expect(Buffer.isBuffer(hash)).toBe(true);
      expect(hash).toEqual(key.secretHash);
      hash.fill(0);
      expect(Buffer.from(document.secretHash.value())).toEqual(key.secretHash);
    });

    it('drops roles it does not know, as the SQLite store does', () => {
      const document = { ...stored(), roles: ['analyst', 'retired-role', 'auditor'] };
      expect(toStoredApiKey(roundTrip<ApiKeyDocument>(document)).roles).toEqual(['analyst', 'auditor'] satisfies Role[]);
    });

    it('reads revocation and last use as given, and as null when the fields are missing', () => {
      const revoked = { ...stored(), revokedAt: '2026-03-02T10:00:00.000Z', lastUsedAt: '2026-03-02T09:00:00.000Z' };
      expect(toStoredApiKey(roundTrip<ApiKeyDocument>(revoked))).toMatchObject({ revokedAt: '2026-03-02T10:00:00.000Z', lastUsedAt: '2026-03-02T09:00:00.000Z' });
      const { revokedAt: _r, lastUsedAt: _l, ...older } = stored();
      expect(toStoredApiKey(roundTrip<ApiKeyDocument>(older))).toMatchObject({ revokedAt: null, lastUsedAt: null });
    });

    it('refuses a document whose hash is not binary', () => {
      expect(() => toStoredApiKey({ ...stored(), secretHash: 'not binary' as unknown as Binary })).toThrow(TypeError);
      expect(() => secretHashOf({ secretHash: key.secretHash as unknown as Binary })).toThrow(TypeError);
    });
  });

  describe('writes', () => {
    it('finds a key by its id', () => {
      expect(byId('0123456789abcdef')).toEqual({ _id: '0123456789abcdef' });
    });

    it('revokes in one pipeline update: the first time kept (COALESCE), the hash replaced by 32 zero bytes', () => {
      const update = revokeUpdate('2026-03-02T10:00:00.000Z');
      expect(update).toEqual([
        {
          $set: {
            revokedAt: { $ifNull: ['$revokedAt', { $literal: '2026-03-02T10:00:00.000Z' }] },
            secretHash: { $literal: expect.any(Binary) },
          },
        },
      ]);
      const wiped = (update[0]!.$set as { secretHash: { $literal: Binary } }).secretHash.$literal;
      expect(wiped.sub_type).toBe(Binary.SUBTYPE_DEFAULT);
      expect(Buffer.from(wiped.value())).toEqual(Buffer.alloc(32));
      expect(WIPED_SECRET_HASH).toEqual(Buffer.alloc(32));
    });

    it('takes a time that looks like a field path as a value, not as the field', () => {
      const [stage] = revokeUpdate('$lastUsedAt');
      expect(stage).toMatchObject({ $set: { revokedAt: { $ifNull: ['$revokedAt', { $literal: '$lastUsedAt' }] } } });
    });

    it('sends a revocation that BSON can carry, wiped hash and all', () => {
      const sent = roundTrip<{ u: [{ $set: { secretHash: { $literal: Binary } } }] }>({ u: revokeUpdate('2026-03-02T10:00:00.000Z') });
      expect(Buffer.from(sent.u[0].$set.secretHash.$literal.value())).toEqual(Buffer.alloc(32));
    });

    it('records a use by replacing the last one', () => {
      expect(markUsedUpdate('2026-03-04T00:00:00.000Z')).toEqual({ $set: { lastUsedAt: '2026-03-04T00:00:00.000Z' } });
    });

    it('lists by createdAt, then in creation order, along an index of both', () => {
      expect(API_KEY_LIST_ORDER).toEqual({ createdAt: 1, seq: 1 });
      expect(Object.keys(API_KEY_LIST_ORDER)).toEqual(['createdAt', 'seq']);
      expect(API_KEY_LIST_INDEX).toEqual({ key: { createdAt: 1, seq: 1 }, name: 'createdAt_seq' });
    });
  });
});
