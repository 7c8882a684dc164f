import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytesFromPool } from './random-pool';

/**
 * The master key wraps (encrypts) every data key; it is never stored beside them in the key store. It comes from
 * configuration: 32 bytes, base64. Wrapping is AES-256-GCM with the key's id as additional data, so a wrapped key
 * moved to another row does not unwrap.
 */
export class MasterKey {
  private constructor(private readonly key: Buffer) {}

  /** From base64 text; throws a message fit for the setting that carried it. */
  static fromBase64(text: string): MasterKey {
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== 32 || key.toString('base64') !== text.trim()) throw new Error('must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
    return new MasterKey(key);
  }

  /**
   * From a file holding the base64 key; when the file does not exist and `create` is set, makes a new random key
   * there (mode 0600) and says so through `created`.
   */
  static fromFile(file: string, options: { create: boolean; created?: (file: string) => void }): MasterKey {
    if (!existsSync(file)) {
      if (!options.create) throw new Error('does not exist');
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
      options.created?.(file);
    }
    return MasterKey.fromBase64(readFileSync(file, 'utf8'));
  }

  static random(): MasterKey {
    return new MasterKey(randomBytes(32));
  }

  wrap(keyId: string, dataKey: Buffer): Buffer {
    const nonce = randomBytesFromPool(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(`data-key:${keyId}`, 'utf8'));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), body]);
  }

  unwrap(keyId: string, wrapped: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.key, wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from(`data-key:${keyId}`, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
  }
}
