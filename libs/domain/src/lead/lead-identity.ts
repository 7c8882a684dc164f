import { ERASED, REDACTED } from '../shared/personal-data';

/**
 * When two leads are the same person (domain.md: "web forms submit twice; purchased lists contain duplicates"):
 * - the same email address, compared trimmed and case-insensitively; or
 * - the same first name, last name and company, compared case- and accent-insensitively with white space collapsed
 *   ("José  García" at "ACME" is "jose garcia" at "acme"). A missing first name is the empty one, so two leads without
 *   one match on last name and company.
 *
 * These are the normalized forms those comparisons use. Pure text functions: the lead-identities read model keeps
 * only hashes of them (libs/read-models), never the text.
 */

/** Letters that NFKD does not decompose but people type without their stroke or ligature. */
const FOLDED_LETTERS: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const FOLDED = new RegExp(`[${Object.keys(FOLDED_LETTERS).join('')}]`, 'gu');

/** A value that stands for no value: absent, blank, or a personal field that was erased or is hidden from the reader. */
function absent(value: string | null | undefined): value is null | undefined {
  return value === null || value === undefined || value.trim() === '' || value === ERASED || value === REDACTED;
}

/** An email address as compared: trimmed, lowercase; null when there is none. */
export function normalizeEmail(email: string | null | undefined): string | null {
  if (absent(email)) return null;
  return email.trim().toLowerCase();
}

/**
 * A name or a company as compared: compatibility-decomposed (NFKD), combining marks removed, case-folded (ß is ss),
 * a few letters NFKD keeps whole folded by hand (ø, æ, ł, ...), white space collapsed to one space and trimmed.
 * null when nothing is left.
 */
export function normalizeNameText(text: string | null | undefined): string | null {
  if (absent(text)) return null;
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase() // "ß" -> "SS": upper then lower case-folds more than lower alone
    .toLowerCase()
    .replace(FOLDED, (letter) => FOLDED_LETTERS[letter] ?? letter)
    .replace(/\s+/gu, ' ')
    .trim();
  return folded === '' ? null : folded;
}

/** What a lead is recognised by, normalized. Any field may be null (not given, erased). */
export interface LeadIdentity {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
}

export function leadIdentity(details: {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
}): LeadIdentity {
  return {
    email: normalizeEmail(details.email),
    firstName: normalizeNameText(details.firstName),
    lastName: normalizeNameText(details.lastName),
    company: normalizeNameText(details.company),
  };
}
