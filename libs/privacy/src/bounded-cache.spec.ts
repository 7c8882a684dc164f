import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('keeps the most recently used entries, at most about twice its size', () => {
    const cache = new BoundedCache<number, string>(100);
    for (let i = 0; i < 1000; i++) cache.set(i, `v${i}`);
    expect([...cache.entries()].length).toBeLessThanOrEqual(200);
    expect(cache.get(999)).toBe('v999');
    expect(cache.get(0)).toBeUndefined();
  });

  it('keeps an entry that is used, however many come after it', () => {
    const cache = new BoundedCache<number, string>(10);
    cache.set(-1, 'kept');
    for (let i = 0; i < 1000; i++) {
      cache.set(i, `v${i}`);
      expect(cache.get(-1)).toBe('kept'); // used all along: moved back to the young generation each time it ages
    }
  });

  it('deletes and clears', () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // a, b, c are now the old generation
    cache.set('d', 4);
    cache.delete('a');
    cache.delete('d');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    cache.clear();
    expect([...cache.entries()]).toEqual([]);
  });
});
