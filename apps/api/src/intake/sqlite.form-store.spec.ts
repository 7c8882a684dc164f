import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFormSecret, parseFormKey } from './form-key';
import { openIntakeDatabase } from './intake-database';
import { authenticateFormKey, createIntakeForm } from './intake-forms';
import { SqliteFormStore } from './sqlite.form-store';

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

  it('creates a form with a key plf_<id>_<43 base64url characters>, shown once, and defaults to the Web Form source', async () => {
    const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice', campaign: 'Spring Webinar' }, at);
    expect(form).toEqual({ id: form.id, name: 'Contact us', source: 'Web Form', owner: 'alice', campaign: 'Spring Webinar', createdAt: at.toISOString(), revokedAt: null });
    expect(key).toMatch(new RegExp(`^plf_${form.id}_[A-Za-z0-9_-]{43}$`));
    expect(Buffer.from(parseFormKey(key)!.secret, 'base64url')).toHaveLength(32);
    expect(await store.get(form.id)).toEqual(form);
    expect(JSON.stringify(await store.list())).not.toContain(parseFormKey(key)!.secret);
  });

  it('refuses a form without a name or an owner, or with an unknown source, naming each', async () => {
    await expect(createIntakeForm(store, { name: ' ', owner: '', source: 'Carrier Pigeon' as never })).rejects.toThrow(
      /name: must not be empty; owner: must not be empty; source: must be one of: Web Form/,
    );
    expect(await store.list()).toEqual([]);
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

  it('authenticates its key, and nothing else: a wrong secret, an unknown form, a malformed key, no key', async () => {
    const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice', source: 'Webinar' });
    const other = await createIntakeForm(store, { name: 'Other', owner: 'bob' });
    expect(await authenticateFormKey(store, key)).toEqual(form);
    expect(await authenticateFormKey(store, ` ${key} `)).toEqual(form);
    const { secret } = parseFormKey(key)!;
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [
      `plf_${form.id}_${flipped}`,
      `plf_${form.id}_${parseFormKey(other.key)!.secret}`, // another form's secret
      `plf_00000000-0000-4000-8000-000000000000_${secret}`,
      key.slice(0, -1),
      key.toUpperCase(),
      'plf_',
      '',
      undefined,
      42,
    ]) {
      expect(await authenticateFormKey(store, bad)).toBeNull();
    }
  });

  it('revokes a form for good: its key is refused, the form stays listed with the first revocation time', async () => {
    const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice' }, at);
    const revoked = await store.revoke(form.id, '2026-03-02T09:00:00.000Z');
    expect(revoked).toEqual({ ...form, revokedAt: '2026-03-02T09:00:00.000Z' });
    expect(await store.revoke(form.id, '2026-03-03T09:00:00.000Z')).toEqual(revoked);
    expect(await authenticateFormKey(store, key)).toBeNull();
    expect(await store.list()).toEqual([revoked]);
    expect(await store.revoke('00000000-0000-4000-8000-000000000000', '2026-03-03T09:00:00.000Z')).toBeNull();
  });

  it('is read by another connection to the same file (the CLI beside the api)', async () => {
    const { form, key } = await createIntakeForm(store, { name: 'Contact us', owner: 'alice' }, at);
    const other = new SqliteFormStore(file);
    try {
      expect(await authenticateFormKey(other, key)).toEqual(form);
      await store.revoke(form.id, at.toISOString());
      expect(await authenticateFormKey(other, key)).toBeNull();
    } finally {
      await other.close();
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
