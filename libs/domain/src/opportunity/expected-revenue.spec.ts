import { expectedRevenue } from './expected-revenue';

describe('expectedRevenue', () => {
  it.each<[number | null, number | null, number | null]>([
    [1_000_000, 10, 100_000],
    [333, 50, 167], // 166.5 rounds half up
    [333, 10, 33], // 33.3
    [1, 0, 0],
    [0, 90, 0],
    [null, 50, null],
    [Number.MAX_SAFE_INTEGER, 100, Number.MAX_SAFE_INTEGER],
    [9_007_199_254_740_991, 90, 8_106_479_329_266_892], // exact: the float product would be off
  ])('amount %p at %p %% is %p', (amount, probability, expected) => {
    expect(expectedRevenue(amount, probability)).toBe(expected);
  });
});
