import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { bearer } from './support/auth';
import { adaLead } from './support/fixtures';
import { TestApp, removeDir, startTestApp } from './support/test-app';
import { cli } from './support/cli';



describe('Security', () => {
  jest.setTimeout(60_000); // the CLI runs from source, through ts-node: seconds per run
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  describe('API keys made with the CLI', () => {
    let key: string;
    let id: string;

    it('keys create prints the key once, alone on stdout; only its hash is stored', () => {
      const run = cli(t.dataDir, 'keys', 'create', '--name', 'web-forms', '--role', 'integration');
      expect(run.status).toBe(0);
      key = run.stdout.trim();
      expect(key).toMatch(/^plk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      id = key.split('_')[1]!;
      expect(run.stderr).toMatch(new RegExp(`created API key ${id} "web-forms" \\(integration\\)\\. This is the only time it is shown`));
      const secret = key.slice(`plk_${id}_`.length);
      for (const name of readdirSync(t.dataDir)) expect(readFileSync(join(t.dataDir, name)).includes(Buffer.from(secret))).toBe(false);
    });

    it('authenticate as key:<id> with its roles, as a bearer token or as X-Api-Key', async () => {
      const created = await request(t.rawHttp).post('/leads').set('X-Api-Key', key).send({ ...adaLead, owner: undefined }).expect(201);
      expect(created.body.owner).toBe(`key:${id}`);
      const events = await t.app.get<EventStore>(EVENT_STORE).readStream(`lead-${created.body.id}`);
      expect(events[0]!.metadata.actor).toBe(`key:${id}`);
      await request(t.rawHttp).get('/webhooks').set('Authorization', `Bearer ${key}`).expect(200);
      await request(t.rawHttp).get('/leads').set('Authorization', `Bearer ${key}`).expect(403);
    });

    it('keys list shows it, never the secret; keys revoke refuses it from the next request on', async () => {
      const list = cli(t.dataDir, 'keys', 'list');
      expect(list.status).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`${id} {2}"web-forms" {2}roles: integration .* active`));
      expect(list.stdout).not.toContain(key.slice(`plk_${id}_`.length));
      const revoke = cli(t.dataDir, 'keys', 'revoke', id);
      expect(revoke.status).toBe(0);
      expect(revoke.stdout).toMatch(/^revoked /);
      const refused = await request(t.rawHttp).get('/webhooks').set('X-Api-Key', key).expect(401);
      expect(refused.body).toEqual({ statusCode: 401, error: 'UNAUTHENTICATED', message: 'invalid credentials: unknown or revoked API key' });
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="pipeline-ledger", error="invalid_token"');
      expect(cli(t.dataDir, 'keys', 'revoke', '0000000000000000').status).toBe(1);
    });

    it('keys create refuses an unknown role, and pii as a role (it is a grant: --pii)', () => {
      expect(cli(t.dataDir, 'keys', 'create', '--name', 'x', '--role', 'root').stderr).toMatch(/"root" is not a role/);
      expect(cli(t.dataDir, 'keys', 'create', '--name', 'x', '--role', 'analyst', 'pii').stderr).toMatch(/add --pii/);
    });
  });

  it('records the principal as the actor, whatever X-Actor says', async () => {
    const res = await request(t.rawHttp).post('/leads').set('Authorization', await bearer(['sales'], { sub: 'alice' })).set('X-Actor', 'mallory').send({ ...adaLead, owner: undefined }).expect(201);
    expect(res.body.owner).toBe('user:alice');
    const [created] = await t.app.get<EventStore>(EVENT_STORE).readStream(`lead-${res.body.id}`);
    expect(created!.metadata.actor).toBe('user:alice');
  });

  it('answers 401 without credentials, with a Bearer challenge and the API error body; /health needs none', async () => {
    const res = await request(t.rawHttp).get('/stages').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="pipeline-ledger"');
    expect(res.body).toMatchObject({ statusCode: 401, error: 'UNAUTHENTICATED' });
    await request(t.rawHttp).get('/health').expect(200);
  });

  it('sends security headers (helmet), and no CORS headers unless CORS_ORIGINS is set', async () => {
    const res = await request(t.rawHttp).get('/health').set('Origin', 'https://evil.example.com').expect(200);
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('caps bodies (413 in the API error body), strings (400 naming the field) and pages (400)', async () => {
    const big = await request(t.http).post('/leads').send({ ...adaLead, title: 'x'.repeat(200_000) }).expect(413);
    expect(big.body).toEqual({ statusCode: 413, error: 'PAYLOAD_TOO_LARGE', message: 'request body is too large (at most 100 kB)' });
    const long = await request(t.http).post('/leads').send({ ...adaLead, company: 'x'.repeat(256) }).expect(400);
    expect(long.body.issues).toEqual([{ field: 'company', reason: 'must be at most 255 characters' }]);
    const rebuild = await request(t.http).post('/projections/rebuild').send({ projections: ['x'.repeat(101)] }).expect(400);
    expect(rebuild.body.issues[0].field).toBe('projections.0');
    await request(t.http).get('/leads').query({ pageSize: 201 }).expect(400);
    await request(t.http).get('/opportunities').query({ pageSize: 201 }).expect(400);
    await request(t.http).get('/leads').query({ pageSize: 200 }).expect(200);
  });
});

describe('CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'https://crm.example.com' } });
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('lets the configured origins read answers (and send credentials in headers), no others', async () => {
    const allowed = await request(t.rawHttp).get('/health').set('Origin', 'https://crm.example.com').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://crm.example.com');
    expect(allowed.headers['access-control-expose-headers']).toContain('ETag');
    const preflight = await request(t.rawHttp).options('/leads').set('Origin', 'https://crm.example.com').set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const other = await request(t.rawHttp).get('/health').set('Origin', 'https://evil.example.com').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
