import { KeyedSerializer } from './keyed-serializer';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedSerializer', () => {
  it('runs tasks sharing a key one after the other, in arrival order, and others at once', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = serializer.run(['a'], async () => {
      log.push('first starts');
      await gate;
      log.push('first ends');
    });
    const second = serializer.run(['b', 'a'], async () => void log.push('second'));
    const third = serializer.run(['c'], async () => void log.push('third'));
    await tick();
    expect(log).toEqual(['first starts', 'third']);
    open();
    await Promise.all([first, second, third]);
    expect(log).toEqual(['first starts', 'third', 'first ends', 'second']);
    expect(serializer.busyKeys).toBe(0);
  });

  it('releases the keys of a task that fails', async () => {
    const serializer = new KeyedSerializer();
    await expect(serializer.run(['a'], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(serializer.run(['a'], async () => 'next')).resolves.toBe('next');
    expect(serializer.busyKeys).toBe(0);
  });

  it('never deadlocks on keys taken in opposite orders', async () => {
    const serializer = new KeyedSerializer();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => serializer.run(i % 2 ? ['x', 'y'] : ['y', 'x'], async () => { await tick(); return i; })));
    expect(results).toHaveLength(20);
  });
});
