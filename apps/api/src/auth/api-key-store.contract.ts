/**
 * The behaviour every ApiKeyStore adapter must show, as a jest suite. Call it from an adapter's spec with a factory
 * for a fresh, empty place to keep keys (a file, a database) and a way to open a store on it:
 *
 *   describeApiKeyStoreContract('SqliteApiKeyStore', async () => ({ open: () => new SqliteApiKeyStore(file), cleanup }));
 *
 * Only the port is tested here; what an adapter does with its files or documents is for its own spec. Excluded from
 * the build (tsconfig.build.json) because it uses jest globals.
 */
import { StoreContractFixture, refused, storeContractHarness } from '../../../../test/support/store-contract';
import { hashSecret, newApiKey } from './api-key';
import { ApiKeyStore, NewApiKey } from './api-key-store.port';
import { Role } from './roles';

/** A place for the contract's stores, and how to open one on it (see StoreContractFixture). */
export type ApiKeyStoreContractFixture = StoreContractFixture<ApiKeyStore>;

export function describeApiKeyStoreContract(adapterName: string, factory: () => Promise<ApiKeyStoreContractFixture>): void {
  describe(`ApiKeyStore contract: ${adapterName}`, () => {
    const stores = storeContractHarness(factory);
    const open = stores.open;
    let store: ApiKeyStore;

    beforeEach(() => (store = stores.store()));

    const newKey = (name: string, secret: string, extra: Partial<NewApiKey> = {}): NewApiKey => ({
      id: newApiKey().id,
      name,
      roles: ['integration'],
      pii: false,
      secretHash: hashSecret(secret),
      createdAt: new Date().toISOString(),
      ...extra,
    });
    const create = (name: string, secret: string, extra: Partial<NewApiKey> = {}) => store.create(newKey(name, secret, extra));

    it('keeps the name, roles, grant and hash, and gives the key back as stored, from create and from get', async () => {
      const { id, secret } = newApiKey();
      const created = await store.create({ id, name: 'web-forms', roles: ['integration', 'analyst'], pii: true, secretHash: hashSecret(secret), createdAt: '2026-03-01T09:00:00.000Z' });
      const expected = {
        id,
        name: 'web-forms',
        roles: ['integration', 'analyst'],
        pii: true,
        secretHash: hashSecret(secret),
        createdAt: '2026-03-01T09:00:00.000Z',
        revokedAt: null,
        lastUsedAt: null,
      };
      expect(created).toEqual(expected);
      const read = await store.get(id);
      expect(read).toEqual(expected);
      expect(Buffer.isBuffer(read!.secretHash)).toBe(true);
    });

    it('knows no key it was not given', async () => {
      expect(await store.get('0000000000000000')).toBeNull();
      expect(await store.list()).toEqual([]);
    });

    it('refuses a second key under an id already taken, and keeps the first as it was', async () => {
      const first = await create('first', 'secret-first', { createdAt: '2026-03-01T09:00:00.000Z' });
      expect(await refused(store.create(newKey('second', 'secret-second', { id: first.id, pii: true })))).toBe(true);
      expect(await store.get(first.id)).toEqual(first);
      expect(await store.list()).toEqual([first]);
    });

    it('gives back only the roles it knows (a role no longer defined is dropped)', async () => {
      const key = await create('old', 'secret-old', { roles: ['analyst', 'retired-role' as Role, 'auditor'] });
      expect(key.roles).toEqual(['analyst', 'auditor']);
      expect((await store.get(key.id))!.roles).toEqual(['analyst', 'auditor']);
    });

    it('revokes: the time is kept (a second revoke keeps the first), the hash is wiped, unknown ids are null', async () => {
      const key = await create('billing', 's3cret-that-is-not-real');
      const revoked = await store.revoke(key.id, '2026-03-02T10:00:00.000Z');
      expect(revoked).toMatchObject({ id: key.id, revokedAt: '2026-03-02T10:00:00.000Z' });
      expect(revoked!.secretHash.equals(Buffer.alloc(32))).toBe(true);
      expect((await store.revoke(key.id, '2026-03-03T10:00:00.000Z'))!.revokedAt).toBe('2026-03-02T10:00:00.000Z');
      expect(await store.revoke('0000000000000000', 'now')).toBeNull();
    });

    it('keeps everything but the hash and the revocation time when it revokes', async () => {
      const key = await create('billing', 'secret-billing', { roles: ['integration', 'analyst'], pii: true, createdAt: '2026-03-01T09:00:00.000Z' });
      await store.markUsed(key.id, '2026-03-01T10:00:00.000Z');
      const revoked = await store.revoke(key.id, '2026-03-02T10:00:00.000Z');
      expect(revoked).toEqual({ ...key, secretHash: Buffer.alloc(32), revokedAt: '2026-03-02T10:00:00.000Z', lastUsedAt: '2026-03-01T10:00:00.000Z' });
      expect(await store.get(key.id)).toEqual(revoked);
    });

    it('keeps one revocation time when two stores revoke the same key at once', async () => {
      const key = await create('billing', 'secret-billing');
      const other = open();
      const times = Array.from({ length: 8 }, (_, i) => `2026-03-02T10:00:0${i}.000Z`);
      const answers = await Promise.all(times.map((at, i) => (i % 2 === 0 ? store : other).revoke(key.id, at)));
      const kept = answers[0]!.revokedAt;
      expect(times).toContain(kept);
      for (const answer of answers) expect(answer).toMatchObject({ revokedAt: kept });
      expect(await store.get(key.id)).toMatchObject({ revokedAt: kept });
      expect((await other.get(key.id))!.secretHash.equals(Buffer.alloc(32))).toBe(true);
    });

    it('lists oldest first, revoked ones too, and records when a key was last used', async () => {
      const a = await create('a', 'secret-a');
      const b = await create('b', 'secret-b');
      await store.revoke(a.id, new Date().toISOString());
      await store.markUsed(b.id, '2026-03-04T00:00:00.000Z');
      expect((await store.list()).map((k) => [k.name, k.revokedAt !== null, k.lastUsedAt])).toEqual([
        ['a', true, null],
        ['b', false, '2026-03-04T00:00:00.000Z'],
      ]);
    });

    it('lists by creation time, and keys created at the same time in the order they were created', async () => {
      await create('later', 'secret-1', { createdAt: '2026-03-02T00:00:00.000Z' });
      await create('earlier', 'secret-2', { createdAt: '2026-03-01T00:00:00.000Z' });
      for (const name of ['tie-c', 'tie-a', 'tie-b']) await create(name, `secret-${name}`, { createdAt: '2026-03-02T00:00:00.000Z' });
      await create('latest', 'secret-3', { createdAt: '2026-03-03T00:00:00.000Z' });
      expect((await store.list()).map((k) => k.name)).toEqual(['earlier', 'later', 'tie-c', 'tie-a', 'tie-b', 'latest']);
    });

    it('records the last use only: a later one replaces it, a revoked key still records it, an unknown id is ignored', async () => {
      const key = await create('a', 'secret-a');
      await store.markUsed(key.id, '2026-03-04T00:00:00.000Z');
      await store.markUsed(key.id, '2026-03-04T00:01:00.000Z');
      expect((await store.get(key.id))!.lastUsedAt).toBe('2026-03-04T00:01:00.000Z');
      await store.revoke(key.id, '2026-03-04T00:02:00.000Z');
      await store.markUsed(key.id, '2026-03-04T00:03:00.000Z');
      expect(await store.get(key.id)).toMatchObject({ revokedAt: '2026-03-04T00:02:00.000Z', lastUsedAt: '2026-03-04T00:03:00.000Z' });

      await expect(store.markUsed('0000000000000000', '2026-03-04T00:04:00.000Z')).resolves.toBeUndefined();
      expect(await store.get('0000000000000000')).toBeNull();
      expect((await store.list()).map((k) => k.id)).toEqual([key.id]);
    });

    it('is seen by every store on the same place: a key created, used and revoked through one is so in the others', async () => {
      const other = open();
      const key = await create('a', 'secret-a', { createdAt: '2026-03-01T09:00:00.000Z' });
      expect(await other.get(key.id)).toEqual(key);
      await other.markUsed(key.id, '2026-03-01T10:00:00.000Z');
      await other.revoke(key.id, '2026-03-01T11:00:00.000Z');
      expect(await store.get(key.id)).toMatchObject({ lastUsedAt: '2026-03-01T10:00:00.000Z', revokedAt: '2026-03-01T11:00:00.000Z', secretHash: Buffer.alloc(32) });
    });

    it('keeps its keys for the next store opened on the same place', async () => {
      const key = await create('a', 'secret-a', { createdAt: '2026-03-01T09:00:00.000Z' });
      await stores.close(store);
      store = open();
      expect(await store.list()).toEqual([key]);
    });
  });
}
