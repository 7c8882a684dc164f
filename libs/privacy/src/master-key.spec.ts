import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKey } from './master-key';

describe('master key', () => {
  it('wraps many data keys at once, each unwrapping on its own to itself, and only under the same master key', () => {
    const master = MasterKey.random();
    const keys = Array.from({ length: 600 }, () => randomBytes(32));
    const wrapped = master.wrapMany(keys);
    expect(wrapped).toHaveLength(600);
    wrapped.forEach((w, i) => {
      expect(w.includes(keys[i]!)).toBe(false);
      expect(master.unwrap(w)).toEqual(keys[i]);
    });
    expect(MasterKey.random().unwrap(wrapped[0]!)).not.toEqual(keys[0]);
    // Two calls never share a keystream: the same keys wrap differently.
    expect(master.wrapMany(keys.slice(0, 1))[0]).not.toEqual(master.wrapMany(keys.slice(0, 1))[0]);
    expect(() => master.wrapMany([randomBytes(16)])).toThrow(/32 bytes/);
    expect(() => master.unwrap(Buffer.alloc(20))).toThrow(/not a wrapped data key/);
  });

  it('takes exactly 32 bytes of base64, and says what it wants otherwise', () => {
    const text = randomBytes(32).toString('base64');
    const master = MasterKey.fromBase64(text);
    expect(MasterKey.fromBase64(text).unwrap(master.wrapMany([Buffer.alloc(32, 1)])[0]!)).toEqual(Buffer.alloc(32, 1));
    expect(() => MasterKey.fromBase64(randomBytes(16).toString('base64'))).toThrow(/32 bytes in base64/);
    expect(() => MasterKey.fromBase64('not base64 at all!')).toThrow(/32 bytes in base64/);
  });

  it('makes a key file readable by its owner only when asked to, and reads the same key back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pl-master-'));
    try {
      const file = join(dir, 'master.key');
      expect(() => MasterKey.fromFile(file, { create: false })).toThrow(/does not exist/);
      const created: string[] = [];
      const first = MasterKey.fromFile(file, { create: true, created: (f) => created.push(f) });
      expect(created).toEqual([file]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
      const again = MasterKey.fromFile(file, { create: true, created: (f) => created.push(f) });
      expect(created).toHaveLength(1);
      expect(again.unwrap(first.wrapMany([Buffer.alloc(32, 3)])[0]!)).toEqual(Buffer.alloc(32, 3));
      expect(readdirSync(dir)).toEqual(['master.key']); // no draft left behind
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
