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

    const wrapped = (fill: number) => Buffer.alloc(60, fill);
    const AT = '2026-11-23T10:00:00.000Z';

    it('knows no key and no erasure at first', async () => {
      expect((await store.get(['k1'])).size).toBe(0);
      expect((await store.erasedSubjects(['s1'])).size).toBe(0);
      expect((await store.allErasedSubjects()).size).toBe(0);
    });

    it('keeps the keys it is given, many at once, and answers for many ids at once, leaving out those it does not have', async () => {
      await store.add([
        { id: 'k1', wrapped: wrapped(1) },
        { id: 'k2', wrapped: wrapped(2) },
      ]);
      await store.add([{ id: 'k3', wrapped: wrapped(3) }]);
      const found = await store.get(['k1', 'k3', 'nope']);
      expect([...found.keys()].sort()).toEqual(['k1', 'k3']);
      expect(found.get('k3')).toEqual(wrapped(3));
    });

    it('never replaces a key it has: the first one stored under an id stays', async () => {
      await store.add([{ id: 'k1', wrapped: wrapped(1) }]);
      await store.add([{ id: 'k1', wrapped: wrapped(9) }]);
      expect((await store.get(['k1'])).get('k1')).toEqual(wrapped(1));
    });

    it('erases for good: the keys are gone, the subjects are recorded as erased, other keys stay', async () => {
      await store.add([
        { id: 'k1', wrapped: wrapped(1) },
        { id: 'k2', wrapped: wrapped(2) },
        { id: 'k3', wrapped: wrapped(3) },
      ]);
      await store.erase(['s1'], ['k1', 'k2'], AT);
      expect([...(await store.get(['k1', 'k2', 'k3'])).keys()]).toEqual(['k3']);
      expect(await store.erasedSubjects(['s1', 's2'])).toEqual(new Map([['s1', AT]]));
      expect(await store.allErasedSubjects()).toEqual(new Map([['s1', AT]]));
    });

    it('erases idempotently: keys already gone are skipped, and an erasure keeps its first time', async () => {
      await store.add([{ id: 'k1', wrapped: wrapped(1) }]);
      await store.erase(['s1'], ['k1'], AT);
      await store.erase(['s1', 's2'], ['k1', 'never-stored'], '2026-11-24T10:00:00.000Z');
      expect(await store.erasedSubjects(['s1', 's2'])).toEqual(
        new Map([
          ['s1', AT],
          ['s2', '2026-11-24T10:00:00.000Z'],
        ]),
      );
    });

    it("leaves no copy of an erased key in the store's files", async () => {
      if (!rawBytes) return; // a server-side store: its files are not ours to read
      const secret = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab');
      const other = Buffer.from('ZYXWVUTSRQPONMLKJIHGFEDCBAZYXWVUTSRQPONMLKJIHGFEDCBAZYXWVUTS');
      await store.add([
        { id: 'erased-one', wrapped: secret },
        { id: 'kept-one', wrapped: other },
      ]);
      expect(rawBytes().includes(secret)).toBe(true);
      await store.erase(['s1'], ['erased-one'], AT);
      expect(rawBytes().includes(secret)).toBe(false);
      expect(rawBytes().includes(other)).toBe(true);
    });
  });
}
