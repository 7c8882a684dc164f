import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@pipeline-ledger/event-store';
import { dataKeyStoreContract } from './data-key-store.contract';
import { SqliteDataKeyStore } from './sqlite.data-key-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The database and its write-ahead log, as they are on disk while the store is open. */
const bytesOf = (file: string) => () => Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));

dataKeyStoreContract('sqlite, a file of its own', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-keys-'));
  dirs.push(dir);
  const file = join(dir, 'keys.sqlite');
  return { store: new SqliteDataKeyStore({ filename: file }), rawBytes: bytesOf(file) };
});

dataKeyStoreContract("sqlite, in the event store's file (the default)", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-keys-'));
  dirs.push(dir);
  const file = join(dir, 'events.sqlite');
  const events = new SqliteEventStore({ filename: file });
  return { store: new SqliteDataKeyStore({ filename: file, ownFsync: false }), rawBytes: bytesOf(file), cleanup: () => events.close() };
});
