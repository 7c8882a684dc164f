import { ERASED, REDACTED } from '../shared/personal-data';
import { leadIdentity, normalizeEmail, normalizeNameText } from './lead-identity';

describe('lead identity', () => {
  describe('normalizeEmail', () => {
    it('trims and lowercases', () => {
      expect(normalizeEmail('  Ada.Lovelace@Engines.EXAMPLE ')).toBe('ada.lovelace@engines.example');
    });

    it.each([null, undefined, '', '   ', ERASED, REDACTED])('has no email for %p', (value) => {
      expect(normalizeEmail(value)).toBeNull();
    });
  });

  describe('normalizeNameText', () => {
    it.each([
      ['José García', 'jose garcia'],
      ['JOSÉ   GARCÍA', 'jose garcia'],
      ['  jose\tgarcia\n', 'jose garcia'],
      ['Jose\u0301 Garci\u0301a', 'jose garcia'], // already decomposed
      ['Zoë Ångström', 'zoe angstrom'],
      ['Björk Guðmundsdóttir', 'bjork gudmundsdottir'],
      ['Straße GmbH', 'strasse gmbh'],
      ['STRASSE GMBH', 'strasse gmbh'],
      ['Søren Kierkegaard', 'soren kierkegaard'],
      ['Łukasz', 'lukasz'],
      ['Ｆｕｌｌｗｉｄｔｈ Ｌｔｄ', 'fullwidth ltd'], // compatibility forms (NFKD)
      ['ﬁnance', 'finance'], // ligature
      ['İstanbul Bilişim', 'istanbul bilisim'],
      ['Ṩṩ-Ltd.', 'ss-ltd.'], // punctuation is kept
    ])('%p compares as %p', (text, expected) => {
      expect(normalizeNameText(text)).toBe(expected);
    });

    it.each([null, undefined, '', ' \t ', '\u0301', ERASED, REDACTED])('has nothing for %p', (value) => {
      expect(normalizeNameText(value)).toBeNull();
    });
  });

  it('normalizes every field of an identity, and leaves missing ones null', () => {
    expect(leadIdentity({ email: 'ADA@X.example', firstName: 'Ádá', lastName: 'Lovelace', company: ' Analytical  Engines ' })).toEqual({
      email: 'ada@x.example',
      firstName: 'ada',
      lastName: 'lovelace',
      company: 'analytical engines',
    });
    expect(leadIdentity({ lastName: 'Lovelace', company: 'AE' })).toEqual({ email: null, firstName: null, lastName: 'lovelace', company: 'ae' });
  });
});
