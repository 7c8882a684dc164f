import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataKeyStoreContract } from './data-key-store.contract';
import { SqliteDataKeyStore } from './sqlite.data-key-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

dataKeyStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-keys-'));
  dirs.push(dir);
  const file = join(dir, 'keys.sqlite');
  const store = new SqliteDataKeyStore(file);
  // The database and its write-ahead log, as they are on disk while the store is open.
  const rawBytes = () => Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
  return { store, rawBytes };
});
