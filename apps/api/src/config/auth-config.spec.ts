import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig: authentication', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pl-auth-config-'));
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = file('public.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const privatePem = file('private.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const jwks = file('jwks.json', JSON.stringify({ keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
  const secret = 'x'.repeat(32);

  it('keeps API keys in <DATA_DIR>/access.sqlite, and without JWT settings accepts only them', () => {
    const auth = loadConfig({ DATA_DIR: '/tmp/pl' }).auth;
    expect(auth).toEqual({ accessFile: '/tmp/pl/access.sqlite', jwt: null });
  });

  it('reads an HS256 secret, a PEM public key or a JWKS file, and the issuer and audience', () => {
    expect(loadConfig({ JWT_SECRET: secret }).auth.jwt).toMatchObject({ hs256Secret: new Uint8Array(Buffer.from(secret)), rs256: null, issuer: null, audience: null });
    expect(loadConfig({ JWT_PUBLIC_KEY_FILE: publicPem }).auth.jwt?.rs256).toMatchObject({ kind: 'pem' });
    expect(loadConfig({ JWT_JWKS_FILE: jwks, JWT_ISSUER: 'https://id.example.com', JWT_AUDIENCE: 'pipeline-ledger' }).auth.jwt).toMatchObject({
      hs256Secret: null,
      rs256: { kind: 'jwks' },
      issuer: 'https://id.example.com',
      audience: 'pipeline-ledger',
    });
    expect(loadConfig({ JWT_SECRET: secret, JWT_PUBLIC_KEY_FILE: publicPem }).auth.jwt).toMatchObject({ rs256: { kind: 'pem' } });
  });

  it('refuses a JWT_SECRET shorter than 32 bytes, naming it and never printing it', () => {
    const short = 'correct-horse-battery';
    expect(() => loadConfig({ JWT_SECRET: short })).toThrow(ConfigError);
    expect(() => loadConfig({ JWT_SECRET: short })).toThrow(/JWT_SECRET=\(hidden, 21 bytes\): must be at least 32 bytes/);
    try {
      loadConfig({ JWT_SECRET: short });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });

  it.each([
    ['both a public key and a JWKS', { JWT_PUBLIC_KEY_FILE: publicPem, JWT_JWKS_FILE: jwks }, /JWT_JWKS_FILE=.*cannot be set together with JWT_PUBLIC_KEY_FILE/],
    ['a missing key file', { JWT_PUBLIC_KEY_FILE: path.join(dir, 'nope.pem') }, /JWT_PUBLIC_KEY_FILE=.*cannot be read/],
    ['a private key', { JWT_PUBLIC_KEY_FILE: privatePem }, /JWT_PUBLIC_KEY_FILE=.*private key/],
    ['not a key', { JWT_PUBLIC_KEY_FILE: file('junk.pem', 'hello') }, /JWT_PUBLIC_KEY_FILE=.*not a PEM public key/],
    ['a JWKS that is not JSON', { JWT_JWKS_FILE: file('bad.json', '{') }, /JWT_JWKS_FILE=.*cannot be read as JSON/],
    ['a JWKS without keys', { JWT_JWKS_FILE: file('empty.json', '{"keys":[]}') }, /JWT_JWKS_FILE=.*at least one key/],
    ['an issuer without a key', { JWT_ISSUER: 'https://id.example.com' }, /JWT_ISSUER=.*needs a key/],
    ['a CORS origin with a path', { CORS_ORIGINS: 'https://crm.example.com/app' }, /CORS_ORIGINS=.*not an origin/],
  ])('fails fast for %s, naming the setting', (_, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('has CORS off by default, and reads a comma-separated list of origins', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://crm.example.com, http://localhost:5173' }).corsOrigins).toEqual(['https://crm.example.com', 'http://localhost:5173']);
  });
});
