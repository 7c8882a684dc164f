import { randomBytes } from 'node:crypto';
import { SEALED_PREFIX, isSealed, openField, sealField } from './field-cipher';

describe('field cipher (AES-256-GCM, one text field)', () => {
  const key = randomBytes(32);

  it('opens what it sealed, for any text, and never gives the same sealed value twice', () => {
    for (const text of ['', 'Ada', 'Zoë Ångström-Łukasiewicz', 'x'.repeat(5000), '📞 +44 20 7946 0000']) {
      const sealed = sealField(key, 'subject-1', text);
      expect(isSealed(sealed)).toBe(true);
      expect(sealed.startsWith(SEALED_PREFIX)).toBe(true);
      expect(sealed).not.toContain(text || '\u0000');
      expect(openField(key, 'subject-1', sealed)).toBe(text);
    }
    expect(sealField(key, 's', 'same')).not.toBe(sealField(key, 's', 'same'));
  });

  it('refuses another key, another subject, or a changed byte', () => {
    const sealed = sealField(key, 'subject-1', 'ada@example.com');
    expect(() => openField(randomBytes(32), 'subject-1', sealed)).toThrow();
    expect(() => openField(key, 'subject-2', sealed)).toThrow();
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => openField(key, 'subject-1', SEALED_PREFIX + raw.toString('base64url'))).toThrow();
    expect(() => openField(key, 'subject-1', `${SEALED_PREFIX}AAAA`)).toThrow(/too short/);
  });

  it('tells sealed values from plaintext', () => {
    expect(isSealed('ada@example.com')).toBe(false);
    expect(isSealed(null)).toBe(false);
    expect(isSealed(42)).toBe(false);
  });
});
