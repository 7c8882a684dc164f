import { CounterIncrement } from '../read-model-store.port';
import { counterId, diffIncrements, mergeIncrements } from './counter-increments';

const inc = (id: string, add: Record<string, number>, collection = 'c'): CounterIncrement => ({ collection, id, group: { key: id }, add });

describe('counter increments', () => {
  it('names a counter by its group values without ambiguity', () => {
    expect(counterId(['a|b', null, 1])).toBe('["a|b",null,1]');
    expect(counterId([null])).not.toBe(counterId(['null']));
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
