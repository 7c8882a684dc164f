import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKey } from './master-key';

describe('master key', () => {
  it('wraps and unwraps a data key, bound to its subject', () => {
    const master = MasterKey.random();
    const dataKey = randomBytes(32);
    const wrapped = master.wrap('lead-1', dataKey);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(master.unwrap('lead-1', wrapped)).toEqual(dataKey);
    expect(() => master.unwrap('lead-2', wrapped)).toThrow();
    expect(() => MasterKey.random().unwrap('lead-1', wrapped)).toThrow();
  });

  it('takes exactly 32 bytes of base64, and says what it wants otherwise', () => {
    const text = randomBytes(32).toString('base64');
    const master = MasterKey.fromBase64(text);
    expect(MasterKey.fromBase64(text).unwrap('s', master.wrap('s', Buffer.alloc(32, 1)))).toEqual(Buffer.alloc(32, 1));
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
      expect(again.unwrap('s', first.wrap('s', Buffer.alloc(32, 3)))).toEqual(Buffer.alloc(32, 3));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
