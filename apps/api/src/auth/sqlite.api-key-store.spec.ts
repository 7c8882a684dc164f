import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSecret, newApiKey, parseApiKey, secretMatches } from './api-key';
import { SqliteApiKeyStore } from './sqlite.api-key-store';

describe('API keys', () => {
  it('look like plk_<16 hex>_<43 base64url>, and parse back into id and secret', () => {
    const { id, secret, key } = newApiKey();
    expect(key).toMatch(/^plk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key)).toEqual({ id, secret });
    expect(parseApiKey(`${key}x`)).toBeNull();
    expect(parseApiKey('plk_nothex0000000000_' + secret)).toBeNull();
    expect(newApiKey().key).not.toBe(key);
  });

  it('are checked against the SHA-256 of the secret', () => {
    const { secret } = newApiKey();
    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
    expect(secretMatches(`${secret.slice(0, -1)}A`, hashSecret(secret))).toBe(secret.endsWith('A'));
    expect(secretMatches(secret, Buffer.alloc(32))).toBe(false);
  });
});

describe('SqliteApiKeyStore', () => {
  let dir: string;
  let file: string;
  let store: SqliteApiKeyStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pl-keys-'));
    file = join(dir, 'access.sqlite');
    store = new SqliteApiKeyStore(file);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = (name: string, secret: string, extra: { pii?: boolean } = {}) =>
    store.create({ id: newApiKey().id, name, roles: ['integration'], pii: extra.pii ?? false, secretHash: hashSecret(secret), createdAt: new Date().toISOString() });

  it('keeps the name, roles, grant and hash, never the secret: it appears in no file of the store', async () => {
    const { id, secret } = newApiKey();
    await store.create({ id, name: 'web-forms', roles: ['integration', 'analyst'], pii: true, secretHash: hashSecret(secret), createdAt: '2026-03-01T09:00:00.000Z' });
    expect(await store.get(id)).toEqual({
      id,
      name: 'web-forms',
      roles: ['integration', 'analyst'],
      pii: true,
      secretHash: hashSecret(secret),
      createdAt: '2026-03-01T09:00:00.000Z',
      revokedAt: null,
      lastUsedAt: null,
    });
    await store.close();
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, name));
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.toString('latin1')).not.toContain(secret);
    }
    // The hash is there (it is what the store is for), and the file is its owner's only.
    expect(readdirSync(dir).some((name) => readFileSync(join(dir, name)).includes(hashSecret(secret)))).toBe(true);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
    store = new SqliteApiKeyStore(file);
  });

  it('revokes: the time is kept (a second revoke keeps the first), the hash is wiped, unknown ids are null', async () => {
    const key = await create('billing', 's3cret-that-is-not-real');
    const revoked = await store.revoke(key.id, '2026-03-02T10:00:00.000Z');
    expect(revoked).toMatchObject({ id: key.id, revokedAt: '2026-03-02T10:00:00.000Z' });
    expect(revoked!.secretHash.equals(Buffer.alloc(32))).toBe(true);
    expect((await store.revoke(key.id, '2026-03-03T10:00:00.000Z'))!.revokedAt).toBe('2026-03-02T10:00:00.000Z');
    expect(await store.revoke('0000000000000000', 'now')).toBeNull();
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
});
