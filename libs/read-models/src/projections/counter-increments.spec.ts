import { CounterIncrement } from '../read-model-store.port';
import { counterId, diffIncrements, mergeIncrements } from './counter-increments';

const inc = (id: string, add: Record<string, number>, collection = 'c'): CounterIncrement => ({ collection, id, group: { key: id }, add });

describe('counter increments', () => {
  it('names a counter by its group values without ambiguity', () => {
    expect(counterId(['a|b', null, 1])).toBe('["a|b",null,1]');
    expect(counterId([null])).not.toBe(counterId(['null']));
  });

  it('is exactly JSON.stringify of the values, escapes and all', () => {
    const values = ['plain', '', 'quote " inside', 'back\\slash', 'tab\there', 'nul\u0000', 'é ü ß', 'emoji 😀', 'lone \ud800', null, 0, -1.5, true, false];
    for (const a of values) for (const b of values) expect(counterId([a, b])).toBe(JSON.stringify([a, b]));
    expect(counterId([])).toBe('[]');
  });

  it('merges increments of the same counter, drops zeros and counters left with nothing', () => {
    expect(mergeIncrements([inc('x', { n: 1, m: 2 }), inc('y', { n: 1 }), inc('x', { n: 2, m: -2 }), inc('y', { n: -1 }), inc('x', { n: 1 }, 'other')])).toEqual([
      inc('x', { n: 3 }),
      inc('x', { n: 1 }, 'other'),
    ]);
  });

  it('moves a contribution: minus where it was, plus where it is', () => {
    expect(diffIncrements([inc('old', { count: 1, amount: 500 })], [inc('new', { count: 1, amount: 700 })])).toEqual([
      inc('old', { count: -1, amount: -500 }),
      inc('new', { count: 1, amount: 700 }),
    ]);
    expect(diffIncrements([inc('same', { count: 1, amount: 500 })], [inc('same', { count: 1, amount: 700 })])).toEqual([inc('same', { amount: 200 })]);
    expect(diffIncrements([inc('same', { count: 1 })], [inc('same', { count: 1 })])).toEqual([]);
    expect(diffIncrements([], [inc('new', { count: 1 })])).toEqual([inc('new', { count: 1 })]);
  });
});
