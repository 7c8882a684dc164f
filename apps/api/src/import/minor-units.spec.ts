import { minorUnits } from './opportunity-import';

describe('minorUnits', () => {
  it.each([
    ['12500', 'USD', 1_250_000],
    ['12,500.50', 'USD', 1_250_050],
    ['1,234,567', 'USD', 123_456_700],
    ['500.5', 'USD', 50_050],
    [' 42.00 ', 'USD', 4_200],
    ['1500', 'JPY', 1_500],
    ['1.234', 'BHD', 1_234],
  ])('reads %j %s as %d minor units', (text, currency, amount) => {
    expect(minorUnits(text, currency)).toEqual({ amount, currency });
  });

  it('refuses more decimals than the currency has', () => {
    expect(minorUnits('1500.5', 'JPY')).toBe('"1500.5" has more decimals than JPY has (0)');
    expect(minorUnits('12.345', 'USD')).toBe('"12.345" has more decimals than USD has (2)');
  });

  it.each([['abc'], ['1,23'], ['-5'], ['1e3'], ['12 500'], ['']])('refuses %j as not an amount', (text) => {
    expect(minorUnits(text, 'USD')).toMatch(/is not an amount/);
  });

  it('is null without an amount', () => {
    expect(minorUnits(undefined, 'USD')).toBeNull();
  });

  it('refuses an amount beyond what a number holds exactly', () => {
    expect(minorUnits('90071992547409.93', 'USD')).toMatch(/too large/);
    expect(minorUnits('9,007,199,254,740,993', 'JPY')).toMatch(/too large/);
    expect(minorUnits('90071992547409.91', 'USD')).toEqual({ amount: Number.MAX_SAFE_INTEGER, currency: 'USD' });
  });
});
