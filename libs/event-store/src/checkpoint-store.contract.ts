/**
 * The behaviour every CheckpointStore adapter must show, as a jest suite. Call it from an adapter's spec with a
 * factory for a fresh, empty place to keep checkpoints (a file, a database) and a way to open a store on it:
 *
 *   describeCheckpointStoreContract('SqliteCheckpointStore', async () => ({ open: () => new SqliteCheckpointStore(file), cleanup }));
 *
 * Not exported from the barrel because it uses jest globals; import '@pipeline-ledger/event-store/checkpoint-store.contract'.
 */
import { StoreContractFixture, storeContractHarness } from '../../../test/support/store-contract';
import { CheckpointStore } from './checkpoint-store.port';

/** A place for the contract's stores, and how to open one on it (see StoreContractFixture). */
export type CheckpointStoreContractFixture = StoreContractFixture<CheckpointStore>;

/** EventStoreDB's positions as the adapter encodes them: commit * 2^64 + prepare, so 128 bits wide. */
const eventStoreDbPosition = (commit: bigint, prepare: bigint): bigint => (commit << 64n) + prepare;

export function describeCheckpointStoreContract(adapterName: string, factory: () => Promise<CheckpointStoreContractFixture>): void {
  describe(`CheckpointStore contract: ${adapterName}`, () => {
    const stores = storeContractHarness(factory);
    const open = stores.open;
    let store: CheckpointStore;
    const close = stores.close;

    beforeEach(() => (store = stores.store()));

    it('knows no checkpoint at first', async () => {
      expect(await store.load('conversion-completer')).toBeNull();
    });

    it.each([
      ['zero', 0n],
      ['a small position', 42n],
      ['the first integer a double cannot hold', 2n ** 53n + 1n],
      ['the largest 64-bit position', 2n ** 64n - 1n],
      ['an EventStoreDB position of 128 bits', eventStoreDbPosition(2n ** 64n - 1n, 2n ** 64n - 2n)],
      ['an EventStoreDB position with commit and prepare apart', eventStoreDbPosition(123_456_789_012n, 123_456_788_000n)],
    ])('gives back exactly the position it was given: %s', async (_, position) => {
      await store.save('conversion-completer', position);
      expect(await store.load('conversion-completer')).toBe(position);
    });

    it('keeps the last position saved under a name, whichever way it moved', async () => {
      await store.save('conversion-completer', 10n);
      await store.save('conversion-completer', eventStoreDbPosition(7n, 5n));
      expect(await store.load('conversion-completer')).toBe(eventStoreDbPosition(7n, 5n));
      await store.save('conversion-completer', 11n);
      expect(await store.load('conversion-completer')).toBe(11n);
    });

    it('keeps each name apart', async () => {
      await store.save('a', 1n);
      await store.save('b', eventStoreDbPosition(2n, 1n));
      await store.save('a', 3n);
      expect(await store.load('a')).toBe(3n);
      expect(await store.load('b')).toBe(eventStoreDbPosition(2n, 1n));
      expect(await store.load('c')).toBeNull();
    });

    it('keeps a checkpoint for the next store opened on the same place', async () => {
      const position = eventStoreDbPosition(99n, 98n);
      await store.save('conversion-completer', position);
      await close(store);
      expect(await open().load('conversion-completer')).toBe(position);
    });
  });
}
