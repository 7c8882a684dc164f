import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataKeyring } from './data-keyring';
import { MasterKey } from './master-key';
import { PersonalDataProtector } from './personal-data-protector';
import { SqliteDataKeyStore } from './sqlite.data-key-store';

describe('MasterKey.derive', () => {
  it('gives 32 bytes, the same for the same purpose and master key', () => {
    const master = MasterKey.random();
    const key = master.derive('lead import');
    expect(key).toHaveLength(32);
    expect(master.derive('lead import')).toEqual(key);
  });

  it('gives another key for another purpose or another master key', () => {
    const master = MasterKey.random();
    const key = master.derive('lead import');
    expect(master.derive('opportunity import')).not.toEqual(key);
    expect(MasterKey.random().derive('lead import')).not.toEqual(key);
  });
});

describe('PersonalDataProtector.keyedDigest', () => {
  let dir: string;
  const stores: SqliteDataKeyStore[] = [];
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pl-digest-'))));
  afterAll(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function protector(master: MasterKey): PersonalDataProtector {
    const store = new SqliteDataKeyStore({ filename: join(dir, `keys-${stores.length}.sqlite`) });
    stores.push(store);
    return new PersonalDataProtector(new DataKeyring(store, master));
  }

  it('is stable for the same text and purpose, also in another protector under the same master key', () => {
    const master = MasterKey.random();
    const digest = protector(master).keyedDigest('lead import', 'ada@example.com');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(protector(master).keyedDigest('lead import', 'ada@example.com')).toBe(digest);
  });

  it('differs for other text, another purpose and another master key', () => {
    const p = protector(MasterKey.random());
    const digest = p.keyedDigest('lead import', 'ada@example.com');
    expect(p.keyedDigest('lead import', 'grace@example.com')).not.toBe(digest);
    expect(p.keyedDigest('opportunity import', 'ada@example.com')).not.toBe(digest);
    expect(protector(MasterKey.random()).keyedDigest('lead import', 'ada@example.com')).not.toBe(digest);
  });

  it('is not the plain SHA-256 of the text, which anyone could compute from a guess', () => {
    const digest = protector(MasterKey.random()).keyedDigest('lead import', 'ada@example.com');
    expect(digest).not.toBe(createHash('sha256').update('ada@example.com', 'utf8').digest('hex'));
  });
});
