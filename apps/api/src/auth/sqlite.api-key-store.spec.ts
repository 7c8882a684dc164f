import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSecret, newApiKey, parseApiKey, secretMatches } from './api-key';
import { describeApiKeyStoreContract } from './api-key-store.contract';
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

describeApiKeyStoreContract('SqliteApiKeyStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-keys-'));
  const file = join(dir, 'access.sqlite');
  return { open: () => new SqliteApiKeyStore(file), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
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

  it('never keeps the secret: it appears in no file of the store, only its hash does, and the file is its owner\'s only', async () => {
    const { id, secret } = newApiKey();
    await store.create({ id, name: 'web-forms', roles: ['integration', 'analyst'], pii: true, secretHash: hashSecret(secret), createdAt: '2026-03-01T09:00:00.000Z' });
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
});
