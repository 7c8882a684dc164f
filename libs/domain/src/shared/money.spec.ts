import { checkMoney, checkOptionalMoney, isCurrencyCode } from './money';

describe('money', () => {
  it('knows ISO 4217 codes', () => {
    expect(isCurrencyCode('USD')).toBe(true);
    expect(isCurrencyCode('JPY')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(isCurrencyCode('ABC')).toBe(false);
  });

  it('accepts integer minor units with a currency', () => {
    expect(checkMoney(0, 'EUR')).toBeNull();
    expect(checkMoney(Number.MAX_SAFE_INTEGER, 'EUR')).toBeNull();
  });

  it.each<[string, unknown, unknown, string[]]>([
    ['a float', 10.25, 'USD', ['amount']],
    ['a negative amount', -100, 'USD', ['amount']],
    ['an unsafe integer', Number.MAX_SAFE_INTEGER + 1, 'USD', ['amount']],
    ['a numeric string', '100', 'USD', ['amount']],
    ['NaN', Number.NaN, 'USD', ['amount']],
    ['an unknown currency', 100, 'ZZZ', ['currency']],
    ['no currency', 100, undefined, ['currency']],
    ['both wrong', 1.5, '$', ['amount', 'currency']],
  ])('refuses %s', (_what, amount, currency, fields) => {
    const error = checkMoney(amount, currency);
    expect(error?.kind).toBe('validation');
    expect(error?.issues.map((i) => i.field)).toEqual(fields);
  });

  it('names nested fields after the amount field', () => {
    expect(checkMoney(-1, 'nope', 'opportunity.amount')?.issues.map((i) => i.field)).toEqual(['opportunity.amount', 'opportunity.currency']);
  });

  describe('checkOptionalMoney', () => {
    it('accepts both null (not known yet) and valid money', () => {
      expect(checkOptionalMoney(null, null)).toBeNull();
      expect(checkOptionalMoney(500, 'GBP')).toBeNull();
    });

    it('refuses one without the other', () => {
      expect(checkOptionalMoney(500, null)?.issues).toEqual([{ field: 'currency', reason: 'is required when an amount is given (give both or neither)' }]);
      expect(checkOptionalMoney(null, 'GBP')?.issues).toEqual([{ field: 'amount', reason: 'is required when a currency is given (give both or neither)' }]);
    });

    it('checks the money when both are given', () => {
      expect(checkOptionalMoney(-5, 'GBP', 'opportunity.amount')?.issues.map((i) => i.field)).toEqual(['opportunity.amount']);
    });
  });
});
