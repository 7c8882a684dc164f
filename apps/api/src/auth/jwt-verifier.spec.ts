import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SignJWT } from 'jose';
import { JwtConfig } from '../config/auth-config';
import { loadConfig } from '../config/app-config';
import { AccessError } from './access.errors';
import { JwtVerifier } from './jwt-verifier';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
const now = () => Math.floor(Date.now() / 1000);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

type Claims = Record<string, unknown>;
/** A token with these claims, expiring in 5 minutes unless the claims say otherwise (or `withoutExp`). */
async function sign(claims: Claims, key: { alg: 'HS256'; secret?: string } | { alg: 'RS256'; privateKey?: typeof rsa.privateKey; kid?: string }, withoutExp = false) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: key.alg, ...(key.alg === 'RS256' && key.kid ? { kid: key.kid } : {}) });
  if (claims['exp'] === undefined && !withoutExp) jwt = jwt.setExpirationTime('5m');
  return key.alg === 'HS256' ? jwt.sign(new TextEncoder().encode(key.secret ?? SECRET)) : jwt.sign(key.privateKey ?? rsa.privateKey);
}

function configFrom(env: NodeJS.ProcessEnv): JwtConfig {
  return loadConfig(env).auth.jwt!;
}

async function refusal(verifier: JwtVerifier, token: string): Promise<AccessError> {
  const error = await verifier.verify(token).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AccessError);
  expect((error as AccessError).status).toBe(401);
  expect((error as AccessError).message).not.toContain(token);
  return error as AccessError;
}

describe('JwtVerifier', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pl-jwt-'));
  const publicPem = path.join(dir, 'public.pem');
  writeFileSync(publicPem, rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const jwksFile = path.join(dir, 'jwks.json');
  writeFileSync(
    jwksFile,
    JSON.stringify({
      keys: [
        { ...otherRsa.publicKey.export({ format: 'jwk' }), kid: 'old', alg: 'RS256', use: 'sig' },
        { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'current', alg: 'RS256', use: 'sig' },
      ],
    }),
  );

  describe('HS256 with JWT_SECRET', () => {
    const verifier = new JwtVerifier(configFrom({ JWT_SECRET: SECRET }));

    it('accepts a good token: sub becomes the actor user:<sub>, roles and the pii grant come from the claims', async () => {
      expect(await verifier.verify(await sign({ sub: 'ada', roles: ['analyst'] }, { alg: 'HS256' }))).toEqual({ actor: 'user:ada', kind: 'user', roles: ['analyst'], pii: false });
      expect(await verifier.verify(await sign({ sub: 'ada', roles: ['analyst', 'pii'] }, { alg: 'HS256' }))).toMatchObject({ roles: ['analyst'], pii: true });
      expect(await verifier.verify(await sign({ sub: 'ada', roles: ['auditor'], pii: true }, { alg: 'HS256' }))).toMatchObject({ pii: true });
    });

    it('gives admin, sales and manager the personal fields without the grant, and ignores role names it does not know', async () => {
      for (const role of ['admin', 'sales', 'manager']) expect((await verifier.verify(await sign({ sub: 'x', roles: [role] }, { alg: 'HS256' }))).pii).toBe(true);
      expect(await verifier.verify(await sign({ sub: 'x', roles: ['superuser', 'integration'] }, { alg: 'HS256' }))).toMatchObject({ roles: ['integration'], pii: false });
      expect(await verifier.verify(await sign({ sub: 'x' }, { alg: 'HS256' }))).toMatchObject({ roles: [] });
    });

    it('answers a token it verified from memory, but never past its exp', async () => {
      const token = await sign({ sub: 'ada', roles: ['sales'], exp: now() + 1 }, { alg: 'HS256' });
      const first = await verifier.verify(token);
      expect(first).toMatchObject({ actor: 'user:ada' });
      expect(await verifier.verify(token)).toBe(first); // the same object: from memory
      await new Promise((r) => setTimeout(r, 2100));
      expect((await refusal(verifier, token)).message).toMatch(/expired/);
    });

    it('refuses a token signed with another secret', async () => {
      expect((await refusal(verifier, await sign({ sub: 'ada', roles: ['admin'] }, { alg: 'HS256', secret: 'another-secret-of-at-least-32-bytes!!' }))).message).toMatch(/signature does not verify/);
    });

    it('refuses a tampered payload', async () => {
      const [header, , signature] = (await sign({ sub: 'ada', roles: ['analyst'] }, { alg: 'HS256' })).split('.');
      const forged = Buffer.from(JSON.stringify({ sub: 'ada', roles: ['admin'], exp: now() + 300 })).toString('base64url');
      expect((await refusal(verifier, `${header}.${forged}.${signature}`)).message).toMatch(/signature/);
    });

    it('refuses an expired token, one not valid yet, and one without exp', async () => {
      expect((await refusal(verifier, await sign({ sub: 'ada', roles: ['admin'], exp: now() - 10 }, { alg: 'HS256' }))).message).toMatch(/expired/);
      expect((await refusal(verifier, await sign({ sub: 'ada', roles: ['admin'], nbf: now() + 600 }, { alg: 'HS256' }))).message).toMatch(/nbf/);
      expect((await refusal(verifier, await sign({ sub: 'ada', roles: ['admin'] }, { alg: 'HS256' }, true))).message).toMatch(/exp/);
    });

    it('refuses another algorithm: RS256 when only a secret is configured, and alg none', async () => {
      expect((await refusal(verifier, await sign({ sub: 'ada', roles: ['admin'] }, { alg: 'RS256' }))).message).toMatch(/algorithm is not accepted \(accepted: HS256\)/);
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'ada', roles: ['admin'], exp: now() + 60 })).toString('base64url')}.`;
      await refusal(verifier, none);
    });

    it('refuses a token without sub, with a bad sub, or with roles that are not an array of names', async () => {
      await refusal(verifier, await sign({ roles: ['admin'] }, { alg: 'HS256' }));
      await refusal(verifier, await sign({ sub: 'has space', roles: ['admin'] }, { alg: 'HS256' }));
      expect((await refusal(verifier, await sign({ sub: 'ada', roles: 'admin' }, { alg: 'HS256' }))).message).toMatch(/roles/);
    });

    it('refuses what is not a JWT at all', async () => {
      await refusal(verifier, 'not-a-token');
      await refusal(verifier, 'a.b.c');
    });
  });

  describe('RS256 with JWT_PUBLIC_KEY_FILE', () => {
    const verifier = new JwtVerifier(configFrom({ JWT_PUBLIC_KEY_FILE: publicPem }));

    it('accepts a token signed with the private key', async () => {
      expect(await verifier.verify(await sign({ sub: 'svc', roles: ['auditor'] }, { alg: 'RS256' }))).toMatchObject({ actor: 'user:svc', roles: ['auditor'] });
    });

    it('refuses one signed with another key, and an HS256 token (no algorithm confusion with the public key)', async () => {
      expect((await refusal(verifier, await sign({ sub: 'svc', roles: ['admin'] }, { alg: 'RS256', privateKey: otherRsa.privateKey }))).message).toMatch(/signature/);
      const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect((await refusal(verifier, await sign({ sub: 'svc', roles: ['admin'] }, { alg: 'HS256', secret: pem }))).message).toMatch(/algorithm is not accepted \(accepted: RS256\)/);
    });
  });

  describe('RS256 with JWT_JWKS_FILE', () => {
    const verifier = new JwtVerifier(configFrom({ JWT_JWKS_FILE: jwksFile }));

    it('picks the key by kid', async () => {
      expect(await verifier.verify(await sign({ sub: 'svc', roles: ['integration'] }, { alg: 'RS256', kid: 'current' }))).toMatchObject({ roles: ['integration'] });
      expect(await verifier.verify(await sign({ sub: 'svc', roles: ['integration'] }, { alg: 'RS256', privateKey: otherRsa.privateKey, kid: 'old' }))).toMatchObject({ actor: 'user:svc' });
    });

    it('refuses a kid it does not have, and a key that does not match the kid', async () => {
      expect((await refusal(verifier, await sign({ sub: 'svc', roles: ['admin'] }, { alg: 'RS256', kid: 'unknown' }))).message).toMatch(/no key of the configured JWKS/);
      await refusal(verifier, await sign({ sub: 'svc', roles: ['admin'] }, { alg: 'RS256', privateKey: otherRsa.privateKey, kid: 'current' }));
    });
  });

  describe('JWT_ISSUER and JWT_AUDIENCE', () => {
    const verifier = new JwtVerifier(configFrom({ JWT_SECRET: SECRET, JWT_ISSUER: 'https://id.example.com', JWT_AUDIENCE: 'pipeline-ledger' }));

    it('accepts the configured issuer and audience', async () => {
      await expect(verifier.verify(await sign({ sub: 'ada', roles: ['sales'], iss: 'https://id.example.com', aud: ['other', 'pipeline-ledger'] }, { alg: 'HS256' }))).resolves.toMatchObject({ actor: 'user:ada' });
    });

    it('refuses another issuer or audience, or none', async () => {
      expect((await refusal(verifier, await sign({ sub: 'ada', roles: ['sales'], iss: 'https://evil.example.com', aud: 'pipeline-ledger' }, { alg: 'HS256' }))).message).toMatch(/iss/);
      expect((await refusal(verifier, await sign({ sub: 'ada', roles: ['sales'], iss: 'https://id.example.com', aud: 'other-service' }, { alg: 'HS256' }))).message).toMatch(/aud/);
      await refusal(verifier, await sign({ sub: 'ada', roles: ['sales'] }, { alg: 'HS256' }));
    });
  });

  describe('HS256 and RS256 together', () => {
    const verifier = new JwtVerifier(configFrom({ JWT_SECRET: SECRET, JWT_PUBLIC_KEY_FILE: publicPem }));

    it('checks each algorithm with its own key only', async () => {
      await expect(verifier.verify(await sign({ sub: 'a', roles: ['sales'] }, { alg: 'HS256' }))).resolves.toMatchObject({ actor: 'user:a' });
      await expect(verifier.verify(await sign({ sub: 'b', roles: ['sales'] }, { alg: 'RS256' }))).resolves.toMatchObject({ actor: 'user:b' });
      await refusal(verifier, await sign({ sub: 'c', roles: ['sales'] }, { alg: 'HS256', secret: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() }));
    });
  });
});
