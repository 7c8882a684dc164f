import { Binary, BSON } from 'mongodb';
import { IntakeForm } from './intake-form';
import {
  FORM_LIST_ORDER,
  FormDocument,
  formOf,
  newFormDocument,
  revokeFilter,
  revokeUpdate,
  secretHashOf,
  WITHOUT_SECRET_HASH,
} from './mongodb-form-mapping';

/** Through BSON and back, as a document goes to the server and comes back from it. */
const roundTrip = <T>(document: object): T => BSON.deserialize(BSON.serialize(document)) as T;

describe('MongoFormStore mapping', () => {
  const form: Omit<IntakeForm, 'revokedAt'> = {
    id: '6a8e26e5-65c7-4f59-a4f8-1768ffd32718',
    name: 'Kontakt – Café',
    source: 'Webinar',
    owner: 'alice',
    campaign: 'Spring Webinar',
    createdAt: '2026-03-01T09:00:00.000Z',
  };
  const hash = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));

  describe('newFormDocument', () => {
    it("lays a new form out under its id, not revoked (null, not missing), the port's fields only", () => {
      const document = newFormDocument({ ...form, extra: 'not a field of a form' } as Omit<IntakeForm, 'revokedAt'>, hash);
      expect(document).toEqual({
        _id: form.id,
        name: 'Kontakt – Café',
        secretHash: expect.any(Binary),
        source: 'Webinar',
        owner: 'alice',
        campaign: 'Spring Webinar',
        createdAt: '2026-03-01T09:00:00.000Z',
        revokedAt: null,
      });
      expect(Object.keys(document)).not.toContain('id');
    });

    it('keeps the hash as generic BSON binary holding exactly its bytes, copied from the Buffer given', () => {
      const given = Buffer.from(hash);
      const document = newFormDocument(form, given);
      given.fill(0);
      expect(document.secretHash.sub_type).toBe(Binary.SUBTYPE_DEFAULT);
      expect(Buffer.from(document.secretHash.value())).toEqual(hash);
    });

    it('keeps no campaign as null', () => {
      expect(newFormDocument({ ...form, campaign: null }, hash).campaign).toBeNull();
      expect(newFormDocument({ ...form, campaign: undefined as unknown as null }, hash).campaign).toBeNull();
    });
  });

  describe('read back through BSON', () => {
    it('answers the form exactly as it was given, times as the same strings', () => {
      const read = roundTrip<FormDocument>(newFormDocument(form, hash));
      expect(formOf(read)).toEqual({ ...form, revokedAt: null });
      expect(formOf(roundTrip<FormDocument>({ ...newFormDocument({ ...form, campaign: null }, hash), revokedAt: '2026-03-02T09:00:00.000Z' }))).toEqual({
        ...form,
        campaign: null,
        revokedAt: '2026-03-02T09:00:00.000Z',
      });
    });

    it('answers a form without its hash (the projection get and list read with)', () => {
      const { secretHash: _, ...fields } = newFormDocument(form, hash);
      const answered = formOf(roundTrip<FormDocument>(fields));
      expect(answered).toEqual({ ...form, revokedAt: null });
      expect(Object.keys(answered)).toEqual(['id', 'name', 'source', 'owner', 'campaign', 'createdAt', 'revokedAt']);
    });

    it('takes a missing campaign or revocation as null', () => {
      const { campaign: _c, revokedAt: _r, ...rest } = newFormDocument(form, hash);
      expect(formOf(rest as FormDocument)).toEqual({ ...form, campaign: null, revokedAt: null });
    });

    it('gives the hash back as a Buffer equal to the one stored, and of its own', () => {
      const read = roundTrip<FormDocument>(newFormDocument(form, hash));
      expect(read.secretHash).toBeInstanceOf(Binary);
      const secretHash = secretHashOf(read);
      expect(Buffer.isBuffer(secretHash)).toBe(true);
      expect(secretHash).toEqual(hash);
      secretHash.fill(0);
      expect(secretHashOf(read)).toEqual(hash);
    });

    it('refuses a hash that is not BSON binary, without showing it', () => {
      for (const secretHash of ['deadbeef', hash, null, undefined, 42]) {
        expect(() => secretHashOf({ secretHash: secretHash as unknown as Binary })).toThrow(TypeError);
      }
      expect(() => secretHashOf({ secretHash: hash as unknown as Binary })).toThrow(/found Buffer\)$/);
    });
  });

  it('revokes only a form not revoked yet, setting the time given', () => {
    expect(revokeFilter(form.id)).toEqual({ _id: form.id, revokedAt: null });
    expect(revokeUpdate('2026-03-02T09:00:00.000Z')).toEqual({ $set: { revokedAt: '2026-03-02T09:00:00.000Z' } });
  });

  it('lists by creation time, then id (SQLite: ORDER BY created_at, id), in that order of keys', () => {
    expect(FORM_LIST_ORDER).toEqual({ createdAt: 1, _id: 1 });
    expect(Object.keys(FORM_LIST_ORDER)).toEqual(['createdAt', '_id']);
  });

  it('reads forms without the hash unless asked', () => {
    expect(WITHOUT_SECRET_HASH).toEqual({ secretHash: 0 });
  });
});
