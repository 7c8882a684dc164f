import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { loadConfig } from '../config/app-config';
import { AccessError } from './access.errors';
import { hashSecret, newApiKey } from './api-key';
import { Authenticator } from './authenticator.service';
import { Role } from './roles';
import { SqliteApiKeyStore } from './sqlite.api-key-store';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';

describe('Authenticator', () => {
  let dir: string;
  let store: SqliteApiKeyStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pl-authn-'));
    store = new SqliteApiKeyStore(join(dir, 'access.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const authenticator = (env: NodeJS.ProcessEnv = { JWT_SECRET: SECRET }) => new Authenticator(store, loadConfig({ DATA_DIR: dir, ...env }));
  const apiKey = async (roles: Role[], pii = false) => {
    const { id, secret, key } = newApiKey();
    await store.create({ id, name: 'test', roles, pii, secretHash: hashSecret(secret), createdAt: new Date().toISOString() });
    return { id, key };
  };
  const token = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
  const refused = async (promise: Promise<unknown>, status: 401 | 403 = 401) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AccessError);
    expect((error as AccessError).status).toBe(status);
    return error as AccessError;
  };

  it('takes an API key as a bearer token or as X-Api-Key: the actor is key:<id>', async () => {
    const { id, key } = await apiKey(['integration']);
    const expected = { actor: `key:${id}`, kind: 'api-key', roles: ['integration'], pii: false };
    expect(await authenticator().authenticate({ authorization: `Bearer ${key}` })).toEqual(expected);
    expect(await authenticator().authenticate({ 'x-api-key': key })).toEqual(expected);
  });

  it('gives a key its pii grant, and admin keys the personal fields always', async () => {
    expect((await authenticator().authenticate({ 'x-api-key': (await apiKey(['analyst'], true)).key })).pii).toBe(true);
    expect((await authenticator().authenticate({ 'x-api-key': (await apiKey(['admin'])).key })).pii).toBe(true);
  });

  it('takes a JWT as a bearer token: the actor is user:<sub>', async () => {
    expect(await authenticator().authenticate({ authorization: `Bearer ${await token({ sub: 'ada', roles: ['auditor'] })}` })).toEqual({ actor: 'user:ada', kind: 'user', roles: ['auditor'], pii: false });
  });

  it('refuses no credential, another scheme, two credentials at once', async () => {
    const { key } = await apiKey(['admin']);
    expect((await refused(authenticator().authenticate({}))).credentialSent).toBe(false);
    await refused(authenticator().authenticate({ authorization: 'Basic YWRhOnNlY3JldA==' }));
    expect((await refused(authenticator().authenticate({ authorization: `Bearer ${key}`, 'x-api-key': key }))).message).toMatch(/not both/);
  });

  it('refuses a revoked key, a wrong secret, an unknown id and a malformed key, all alike', async () => {
    const { id, key } = await apiKey(['admin']);
    const wrongSecret = `${key.slice(0, -2)}${key.endsWith('AA') ? 'BB' : 'AA'}`;
    const unknown = newApiKey().key;
    for (const bad of [wrongSecret, unknown]) expect((await refused(authenticator().authenticate({ 'x-api-key': bad }))).message).toBe('invalid credentials: unknown or revoked API key');
    await refused(authenticator().authenticate({ 'x-api-key': 'plk_short' }));
    await store.revoke(id, new Date().toISOString());
    expect((await refused(authenticator().authenticate({ authorization: `Bearer ${key}` }))).message).toBe('invalid credentials: unknown or revoked API key');
  });

  it('takes only API keys in X-Api-Key, not tokens', async () => {
    const error = await refused(authenticator().authenticate({ 'x-api-key': await token({ sub: 'ada', roles: ['admin'] }) }));
    expect(error.message).toMatch(/not a well-formed API key/);
  });

  it('refuses JWTs when no JWT setting is configured (API keys only)', async () => {
    const error = await refused(authenticator({}).authenticate({ authorization: `Bearer ${await token({ sub: 'ada', roles: ['admin'] })}` }));
    expect(error.message).toMatch(/use an API key/);
  });

  it('records when a key was last used, at most once a minute', async () => {
    const { id, key } = await apiKey(['analyst']);
    const a = authenticator();
    await a.authenticate({ 'x-api-key': key });
    await new Promise((r) => setImmediate(r));
    const first = (await store.get(id))!.lastUsedAt;
    expect(first).not.toBeNull();
    await new Promise((r) => setTimeout(r, 5));
    await a.authenticate({ 'x-api-key': key });
    await new Promise((r) => setImmediate(r));
    expect((await store.get(id))!.lastUsedAt).toBe(first);
  });
});
