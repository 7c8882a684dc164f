import { backoffDelayMs } from './webhook-backoff';

describe('backoffDelayMs', () => {
  const settings = { baseMs: 1000, maxMs: 300_000 };

  it('doubles from the base with each failure, and caps at the maximum (no jitter at its top)', () => {
    const top = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 1000].map((n) => backoffDelayMs(n, settings, () => 1));
    expect(top).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
  });

  it('jitters between half the schedule and all of it', () => {
    expect(backoffDelayMs(3, settings, () => 0)).toBe(2000);
    expect(backoffDelayMs(3, settings, () => 0.5)).toBe(3000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(4, settings);
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });

  it('treats 0 or fewer failures as the first retry', () => {
    expect(backoffDelayMs(0, settings, () => 1)).toBe(1000);
  });
});
