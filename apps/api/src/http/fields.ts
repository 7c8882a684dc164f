import { z } from 'zod';
import { isCurrencyCode } from '@pipeline-ledger/domain';

/** Field schemas shared by the request bodies: one definition of what a valid name, email, date or amount is. */

/** Optional free text: trimmed; empty or null means "none". */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

export const requiredText = (max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

export const uuid = z.uuid({ error: 'must be a UUID' });

export const email = z
  .email({ error: 'must be an email address, e.g. ada@example.com' })
  .max(254, 'must be at most 254 characters')
  .transform((v) => v.toLowerCase());

export const phone = z
  .string()
  .trim()
  .max(40, 'must be at most 40 characters')
  .regex(/^\+?[0-9 ().\-/]*[0-9][0-9 ().\-/]*(\s*(x|ext\.?)\s*\d+)?$/i, 'must be a phone number, e.g. +1 415 555 0100');

/** A calendar date, YYYY-MM-DD. */
export const calendarDate = z.iso.date({ error: 'must be a date, YYYY-MM-DD' });

/** Money in integer minor units (cents for USD): never a float. */
export const minorUnits = z
  .number({ error: 'must be a number' })
  .int('must be an integer number of minor units (e.g. cents)')
  .nonnegative('must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

export const currencyCode = z
  .string({ error: 'must be a string' })
  .refine(isCurrencyCode, 'must be an ISO 4217 currency code, e.g. USD');

export const probability = z.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be 0 to 100').max(100, 'must be 0 to 100');

export const owner = requiredText(200);
export const reason = requiredText(1000);
