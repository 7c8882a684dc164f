/**
 * What a store contract's factory gives: a place (a file, a database) and a way to open a store on it; called again,
 * `open` gives another store on the same place (another process, another replica).
 */
export interface StoreContractFixture<S> {
  open(): S;
  cleanup?(): Promise<void>;
}

/**
 * The harness the store contracts share (api keys, web forms, submissions, webhooks, checkpoints), to call inside
 * their describe: each test gets a fresh fixture and a store on it (`store()`), may open more on the same place
 * (`open()`) and close one early (`close()`); after the test every store still open is closed, then the fixture
 * cleaned up.
 */
export function storeContractHarness<S extends { close(): Promise<void> }>(
  factory: () => Promise<StoreContractFixture<S>>,
): { store(): S; open(): S; close(store: S): Promise<void> } {
  let fixture: StoreContractFixture<S>;
  let opened: S[] = [];
  let first: S;
  const open = (): S => {
    const another = fixture.open();
    opened.push(another);
    return another;
  };
  beforeEach(async () => {
    fixture = await factory();
    opened = [];
    first = open();
  });
  afterEach(async () => {
    for (const each of opened) await each.close();
    await fixture.cleanup?.();
  });
  return {
    store: () => first,
    open,
    close: async (store) => {
      opened.splice(opened.indexOf(store), 1);
      await store.close();
    },
  };
}

/**
 * Whether the promise was rejected, with whatever error the adapter's database gives. Not checked with toThrow():
 * better-sqlite3's native addon makes its errors in the first jest context that loaded it, so in another test file of
 * the same worker they are no `Error` of this one.
 */
export function refused(promise: Promise<unknown>): Promise<boolean> {
  return promise.then(
    () => false,
    () => true,
  );
}
