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

  it('gives exactly what BigInt arithmetic gives, on both sides of the safe-integer limit', () => {
    const exact = (amount: number, probability: number) => Number((BigInt(amount) * BigInt(probability) + 50n) / 100n);
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const amounts = [0, 1, 49, 50, 99, 100, 101, 149, 150, 151, 2 ** 46, 2 ** 46 + 1, 90_071_992_547_409, 90_071_992_547_410, Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 2000; i++) amounts.push(Math.floor(random() * Number.MAX_SAFE_INTEGER), Math.floor(random() * 10_000_000));
    for (const amount of amounts) for (const probability of [0, 1, 7, 33, 50, 67, 99, 100]) expect(expectedRevenue(amount, probability)).toBe(exact(amount, probability));
  });
});
