import { DomainError } from './domain-error';
import { isBlank, isCalendarDate, refusalFor, requireOneOf } from './validation';

describe('validation helpers', () => {
  it.each([
    ['2025-06-30', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2025-00-10', false],
    ['2025-12-32', false],
    ['2025-6-30', false],
    ['2025-06-30T00:00:00Z', false],
    [' 2025-06-30', false],
    [20250630, false],
  ])('isCalendarDate(%p) is %p', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it('treats non-strings and whitespace as blank', () => {
    expect([null, undefined, '', '  \t', 5].map(isBlank)).toEqual([true, true, true, true, true]);
    expect(isBlank(' a ')).toBe(false);
  });

  it('accepts null for a nullable choice only', () => {
    expect(requireOneOf('rating', ['Hot'], null, true)).toBeNull();
    expect(requireOneOf('rating', ['Hot'], null)).toEqual({ field: 'rating', reason: 'must be one of "Hot"' });
  });

  it('gathers issues into one validation refusal, or null', () => {
    expect(refusalFor(null, [])).toBeNull();
    const error = refusalFor({ field: 'a', reason: 'x' }, null, [{ field: 'b', reason: 'y' }]);
    expect(error).toEqual(new DomainError('validation', 'VALIDATION_FAILED', 'a: x; b: y', [{ field: 'a', reason: 'x' }, { field: 'b', reason: 'y' }]));
    expect(error?.issues).toEqual([{ field: 'a', reason: 'x' }, { field: 'b', reason: 'y' }]);
  });
});
