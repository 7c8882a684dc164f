import { randomBytes } from 'node:crypto';
import { SEALED_MORE_PREFIX, SEALED_PREFIX, isSealed, keyIdOf, openFields, sealFields } from './field-cipher';

describe('field cipher (AES-256-GCM, the personal fields of one object together)', () => {
  const key = randomBytes(32);
  const names = ['firstName', 'lastName', 'email'];

  it('opens what it sealed, for any text, one string per field, and never gives the same sealed values twice', () => {
    for (const values of [['Ada', 'Lovelace', 'ada@example.com'], ['', 'Zoë Ångström-Łukasiewicz', '📞 +44 20 7946 0000'], ['x'.repeat(5000), 'y', '']]) {
      const sealed = sealFields('key-1', key, 'subject-1', names, values);
      expect(sealed).toHaveLength(3);
      expect(sealed[0]!.startsWith(`${SEALED_PREFIX}key-1:`)).toBe(true);
      expect(keyIdOf(sealed[0]!)).toBe('key-1');
      expect(sealed.slice(1).every((s) => s.startsWith(SEALED_MORE_PREFIX))).toBe(true);
      expect(sealed.every(isSealed)).toBe(true);
      for (const v of values.filter((v) => v.length >= 8)) expect(sealed.join('')).not.toContain(v); // shorter ones may occur in base64 by chance
      expect(openFields(key, 'subject-1', names, sealed)).toEqual(values);
    }
    expect(sealFields('key-1', key, 's', ['email'], ['same'])).not.toEqual(sealFields('key-1', key, 's', ['email'], ['same']));
  });

  it('refuses another key, another subject, other field names, fields swapped or cut, or a changed byte', () => {
    const sealed = sealFields('key-1', key, 'subject-1', names, ['Ada', 'Lovelace', 'ada@example.com']);
    expect(() => openFields(randomBytes(32), 'subject-1', names, sealed)).toThrow();
    expect(() => openFields(key, 'subject-2', names, sealed)).toThrow();
    expect(() => openFields(key, 'subject-1', ['firstName', 'email', 'lastName'], sealed)).toThrow();
    expect(() => openFields(key, 'subject-1', names, [sealed[0]!, sealed[2]!, sealed[1]!])).toThrow();
    expect(() => openFields(key, 'subject-1', names.slice(0, 2), sealed.slice(0, 2))).toThrow();
    expect(() => openFields(key, 'subject-1', names.slice(1), sealed.slice(1))).toThrow(/not a sealed group/);
    const raw = Buffer.from(sealed[0]!.slice(`${SEALED_PREFIX}key-1:`.length), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => openFields(key, 'subject-1', names, [`${SEALED_PREFIX}key-1:${raw.toString('base64url')}`, sealed[1]!, sealed[2]!])).toThrow();
    expect(() => openFields(key, 'subject-1', ['email'], [`${SEALED_PREFIX}key-1:AAAA`])).toThrow(/too short/);
  });

  it('tells sealed values from plaintext', () => {
    expect(isSealed('ada@example.com')).toBe(false);
    expect(isSealed('pl:enc:1x')).toBe(false);
    expect(isSealed(null)).toBe(false);
    expect(isSealed(42)).toBe(false);
  });
});
