import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFormStoreContract } from './form-store.contract';
import { hashFormSecret, parseFormKey } from './form-key';
import { openIntakeDatabase } from './intake-database';
import { createIntakeForm } from './intake-forms';
import { SqliteFormStore } from './sqlite.form-store';

describeFormStoreContract('SqliteFormStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'form-store-'));
  const file = join(dir, 'intake.sqlite');
  return { open: () => new SqliteFormStore(file), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('web forms in intake.sqlite', () => {
  let dir: string;
  let file: string;
  let store: SqliteFormStore;
  const at = new Date('2026-03-01T09:00:00.000Z');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'form-store-'));
    file = join(dir, 'intake.sqlite');
    store = new SqliteFormStore(file);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps only the SHA-256 of the secret: neither the key nor the secret is anywhere in the database files', async () => {
    const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice' }, at);
    const { secret } = parseFormKey(key)!;
    const raw = new Database(file, { readonly: true });
    try {
      const row = raw.prepare('SELECT secret_hash FROM intake_forms WHERE id = ?').get(form.id) as { secret_hash: Buffer };
      expect(row.secret_hash.equals(hashFormSecret(secret))).toBe(true);
    } finally {
      raw.close();
    }
    const bytes = ['', '-wal', '-shm'].map((suffix) => `${file}${suffix}`).filter(existsSync).map((f) => readFileSync(f));
    expect(bytes.length).toBeGreaterThan(0);
    for (const content of bytes) {
      expect(content.includes(Buffer.from(secret))).toBe(false);
      expect(content.includes(Buffer.from(secret, 'base64url'))).toBe(false);
      expect(content.includes(Buffer.from(key))).toBe(false);
    }
  });

  it('opens the file with secure_delete on and durable writes', () => {
    const db = openIntakeDatabase(file);
    try {
      expect(db.pragma('secure_delete', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });
});
