import { z } from 'zod';
import { looksMisdecoded, pastInstant, zodReasons } from './import-fields';

describe('pastInstant', () => {
  it('reads a date as midnight UTC', () => {
    expect(pastInstant.parse('2025-03-01')).toBe('2025-03-01T00:00:00.000Z');
  });

  it('reads a date and time with Z, or with an offset converted to UTC', () => {
    expect(pastInstant.parse('2025-03-01T14:30:00Z')).toBe('2025-03-01T14:30:00.000Z');
    expect(pastInstant.parse('2025-03-01T14:30:00+01:00')).toBe('2025-03-01T13:30:00.000Z');
    expect(pastInstant.parse('2025-03-01T00:30:00-05:30')).toBe('2025-03-01T06:00:00.000Z');
  });

  it('refuses a time without an offset: the zone it was meant in cannot be known', () => {
    const result = pastInstant.safeParse('2025-03-01T14:30:00');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/date and time with its offset/);
  });

  it.each([['yesterday'], ['01/03/2025'], ['2025-13-01'], ['']])('refuses %j', (text) => {
    expect(pastInstant.safeParse(text).success).toBe(false);
  });

  it('refuses a moment in the future', () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const result = pastInstant.safeParse(tomorrow);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must not be in the future');
    expect(pastInstant.safeParse(new Date(Date.now() + 60_000).toISOString()).success).toBe(false);
  });
});

describe('looksMisdecoded', () => {
  it('names the field holding a replacement character, and suggests another encoding', () => {
    expect(looksMisdecoded({ firstName: 'Zoe', lastName: 'M\uFFFDller', company: undefined })).toMatch(/^lastName: is not valid UTF-8 .*--encoding latin1/);
  });

  it('is null when every field is valid text', () => {
    expect(looksMisdecoded({ firstName: 'Zoë', lastName: 'Müller', company: undefined })).toBeNull();
  });
});

describe('zodReasons', () => {
  it('joins "field: reason" for each issue, and names a row-level issue "row"', () => {
    const schema = z
      .object({ name: z.string().min(1, 'is required'), address: z.object({ city: z.string({ error: 'must be text' }) }) })
      .refine(() => false, 'is not consistent');
    const result = schema.safeParse({ name: '', address: { city: 3 } });
    expect(zodReasons(result.error!)).toBe('name: is required; address.city: must be text');
    const row = schema.safeParse({ name: 'Ada', address: { city: 'London' } });
    expect(zodReasons(row.error!)).toBe('row: is not consistent');
  });
});
