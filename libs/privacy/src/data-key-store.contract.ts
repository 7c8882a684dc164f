import { DataKeyStore } from './data-key-store.port';

/**
 * The behaviour every DataKeyStore adapter must have. Run it from the adapter's spec with a factory for fresh, empty
 * stores, and a way to read the adapter's files back (to prove an erased key is gone from them), when it has files.
 */
export function dataKeyStoreContract(
  name: string,
  open: () => Promise<{ store: DataKeyStore; rawBytes?: () => Buffer; cleanup?: () => Promise<void> }>,
): void {
  describe(`DataKeyStore contract: ${name}`, () => {
    let store: DataKeyStore;
    let rawBytes: (() => Buffer) | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    beforeEach(async () => ({ store, rawBytes, cleanup } = await open()));
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    const key = (fill: number) => Buffer.alloc(60, fill);

    it('knows nothing of a subject at first', async () => {
      expect((await store.get(['s1'])).size).toBe(0);
    });

    it('keeps the first key put for a subject and answers later puts with it', async () => {
      expect(await store.putIfAbsent('s1', key(1))).toEqual({ status: 'active', wrapped: key(1) });
      expect(await store.putIfAbsent('s1', key(2))).toEqual({ status: 'active', wrapped: key(1) });
      expect((await store.get(['s1', 's2'])).get('s1')).toEqual({ status: 'active', wrapped: key(1) });
    });

    it('answers many subjects at once, leaving out those it has nothing for', async () => {
      await store.putIfAbsent('a', key(1));
      await store.putIfAbsent('b', key(2));
      const found = await store.get(['a', 'b', 'c']);
      expect([...found.keys()].sort()).toEqual(['a', 'b']);
    });

    it('erases for good: the key is gone, the erasure is remembered, and no key can be put again', async () => {
      await store.putIfAbsent('s1', key(7));
      await store.putIfAbsent('s2', key(8));
      await store.erase(['s1'], '2026-11-23T10:00:00.000Z');
      expect((await store.get(['s1'])).get('s1')).toEqual({ status: 'erased', erasedAt: '2026-11-23T10:00:00.000Z' });
      expect(await store.putIfAbsent('s1', key(9))).toEqual({ status: 'erased', erasedAt: '2026-11-23T10:00:00.000Z' });
      expect((await store.get(['s2'])).get('s2')).toEqual({ status: 'active', wrapped: key(8) });
    });

    it('erases idempotently, and erases a subject that never had a key (its data, if any, was never sealed)', async () => {
      await store.putIfAbsent('s1', key(7));
      await store.erase(['s1', 'never'], '2026-11-23T10:00:00.000Z');
      await store.erase(['s1'], '2026-11-24T10:00:00.000Z');
      const found = await store.get(['s1', 'never']);
      expect(found.get('s1')).toEqual({ status: 'erased', erasedAt: '2026-11-23T10:00:00.000Z' });
      expect(found.get('never')).toEqual({ status: 'erased', erasedAt: '2026-11-23T10:00:00.000Z' });
    });

    it("leaves no copy of an erased key in the store's files", async () => {
      if (!rawBytes) return; // a server-side store: its files are not ours to read
      const secret = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab');
      const other = Buffer.from('ZYXWVUTSRQPONMLKJIHGFEDCBAZYXWVUTSRQPONMLKJIHGFEDCBAZYXWVUTS');
      await store.putIfAbsent('erased-one', secret);
      await store.putIfAbsent('kept-one', other);
      expect(rawBytes().includes(secret)).toBe(true);
      await store.erase(['erased-one'], '2026-11-23T10:00:00.000Z');
      expect(rawBytes().includes(secret)).toBe(false);
      expect(rawBytes().includes(other)).toBe(true);
    });
  });
}
