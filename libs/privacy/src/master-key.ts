import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytesFromPool } from './random-pool';

/**
 * The master key wraps (encrypts) every data key; it is never stored beside them in the key store. It comes from
 * configuration: 32 bytes, base64.
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
      // Written whole to a file of our own, then linked into place: another process (the projector beside the api)
      // never reads a half-written key, and if it made one first, the link fails and we use theirs.
      const draft = `${file}.${process.pid}.new`;
      writeFileSync(draft, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      chmodSync(draft, 0o600);
      try {
        linkSync(draft, file);
        options.created?.(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        unlinkSync(draft);
      }
    }
    return MasterKey.fromBase64(readFileSync(file, 'utf8'));
  }

  static random(): MasterKey {
    return new MasterKey(randomBytes(32));
  }

  /**
   * Wraps data keys, many in one operation: AES-256-CTR under the master key, each key at its own place in one
   * keystream (a random 96-bit nonce per call, the 32-bit block counter: key i starts at block 2i), stored with the
   * counter block it starts at. No tag of its own: a wrapped key that was altered unwraps to a wrong key, and every
   * field sealed under it carries its own GCM tag, so it opens nothing. (One operation for a pool of 512 keys instead of
   * an AES-GCM per key, which cost a tenth of a CreateLead's CPU.)
   */
  wrapMany(dataKeys: readonly Buffer[]): Buffer[] {
    if (dataKeys.some((k) => k.length !== DATA_KEY_BYTES)) throw new Error(`data keys are ${DATA_KEY_BYTES} bytes`);
    const nonce = randomBytesFromPool(12);
    const cipher = createCipheriv('aes-256-ctr', this.key, counterBlock(nonce, 0));
    const stream = Buffer.concat([cipher.update(Buffer.concat(dataKeys)), cipher.final()]);
    return dataKeys.map((_, i) => Buffer.concat([counterBlock(nonce, i * BLOCKS_PER_KEY), stream.subarray(i * DATA_KEY_BYTES, (i + 1) * DATA_KEY_BYTES)]));
  }

  /**
   * A key for one purpose, derived from the master key (HKDF-SHA256, the purpose as info): for keyed digests of
   * personal data (an imported row's id), which only a holder of the master key can compute or check.
   */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `pipeline-ledger ${purpose}`, 32));
  }

  unwrap(wrapped: Buffer): Buffer {
    if (wrapped.length !== 16 + DATA_KEY_BYTES) throw new Error('not a wrapped data key');
    const decipher = createDecipheriv('aes-256-ctr', this.key, wrapped.subarray(0, 16));
    return Buffer.concat([decipher.update(wrapped.subarray(16)), decipher.final()]);
  }
}

const DATA_KEY_BYTES = 32;
const BLOCKS_PER_KEY = DATA_KEY_BYTES / 16;

/** An AES-CTR counter block: the 12-byte nonce, then the 32-bit big-endian block number. */
function counterBlock(nonce: Buffer, block: number): Buffer {
  const iv = Buffer.alloc(16);
  nonce.copy(iv, 0);
  iv.writeUInt32BE(block, 12);
  return iv;
}
