import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ROLES, Role } from '../apps/api/src/auth/roles';
import { newApiKey } from '../apps/api/src/auth/api-key';
import { bearer } from './support/auth';
import { TestApp, removeDir, startTestApp } from './support/test-app';

/**
 * Who may call what: the table the README shows, checked against every route the running application serves.
 * A route that is added without an entry here fails the test (and an entry whose route is gone does too), so the
 * table cannot drift from the code. admin may call every route, so it is implied in each entry.
 */
const EVERY_ROLE = ROLES.filter((r) => r !== 'admin');
const SALES: Role[] = ['sales', 'manager'];
const READERS: Role[] = ['analyst', 'sales', 'manager'];
const TABLE: Record<string, readonly Role[] | 'public'> = {
  'GET /health': 'public',
  'POST /intake/leads': 'public',
  /** The dashboard's page and bundle: no data in them (the page signs in to call the routes below). */
  'GET /': 'public',
  'GET /dashboard/:file': 'public',

  'POST /leads': ['sales', 'manager', 'integration'],
  'GET /leads/:id': SALES,
  'PATCH /leads/:id': SALES,
  'POST /leads/:id/owner': ['manager'],
  'POST /leads/:id/contacts': SALES,
  'POST /leads/:id/qualification': SALES,
  'POST /leads/:id/nurture': SALES,
  'POST /leads/:id/disqualify': SALES,
  'POST /leads/:id/reopen': ['manager'],
  'POST /leads/:id/convert': SALES,

  'POST /opportunities': SALES,
  'GET /opportunities/:id': SALES,
  'POST /opportunities/:id/stage': SALES,
  'POST /opportunities/:id/probability': SALES,
  'POST /opportunities/:id/amount': SALES,
  'POST /opportunities/:id/close-date': SALES,
  'POST /opportunities/:id/owner': ['manager'],
  'POST /opportunities/:id/close-won': SALES,
  'POST /opportunities/:id/close-lost': SALES,
  'POST /opportunities/:id/reopen': ['manager'],
  'POST /accounts': SALES,
  'GET /accounts/:id': SALES,
  'POST /contacts': SALES,
  'GET /contacts/:id': SALES,
  'GET /stages': EVERY_ROLE,

  'GET /leads': READERS,
  'GET /opportunities': READERS,
  'GET /analytics/pipeline': READERS,
  'GET /analytics/conversion': READERS,
  'GET /analytics/win-rate': READERS,
  'GET /projections': ['analyst', 'auditor'],
  'POST /projections/rebuild': [],
  'POST /people/:id/erase': [],

  'GET /leads/:id/history': ['auditor'],
  'GET /accounts/:id/history': ['auditor'],
  'GET /contacts/:id/history': ['auditor'],
  'GET /opportunities/:id/history': ['auditor'],
  'GET /leads/:id/verify': ['auditor'],
  'GET /accounts/:id/verify': ['auditor'],
  'GET /contacts/:id/verify': ['auditor'],
  'GET /opportunities/:id/verify': ['auditor'],
  'GET /correlations/:id': ['auditor'],

  'GET /events': ['integration'],
  'GET /asyncapi.json': ['integration'],
  'POST /webhooks': ['integration'],
  'GET /webhooks': ['integration'],
  'GET /webhooks/:id': ['integration'],
  'POST /webhooks/:id/resume': ['integration'],
  'DELETE /webhooks/:id': ['integration'],

  /** The OpenAPI document and its reader (Swagger's own routes under /docs, /openapi.json, /openapi.yaml): every role. */
  'GET /docs/*, /openapi.*': EVERY_ROLE,
};

/** The table's entry for a route: Swagger's routes share one. */
function entryOf(route: string): string {
  return /^GET \/(docs(\/|$)|openapi\.)/.test(route) ? 'GET /docs/*, /openapi.*' : route;
}

/** Every route of the running application, as "METHOD /path", from Express's router. */
function routesOf(t: TestApp): string[] {
  const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }).router;
  return router.stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : []));
}

/** A request to the route that gets past validation as little as possible, and starts nothing that lasts. */
function call(t: TestApp, route: string) {
  const [method, pattern] = route.split(' ') as [string, string];
  const path = pattern.replace(':id', pattern.startsWith('/correlations') ? 'no-such-correlation' : randomUUID());
  const req = request(t.rawHttp)[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](path);
  if (route === 'GET /events') return req.query({ from: 'not-a-position' }); // 400 once past the guard, instead of a stream
  if (route === 'POST /projections/rebuild') return req.send({ projections: ['no-such-projection'] }); // 400, no rebuild
  return method === 'GET' || method === 'DELETE' ? req : req.send({});
}

/**
 * A public route got past the guard: no 403, and no 401 of the guard's. A public route may still ask for a credential
 * of its own (the web-to-lead intake's form key: 401 FORM_KEY_INVALID), which is not a bearer token.
 */
function passedTheGuard(res: { status: number; body: { error?: string } }): boolean {
  return res.status !== 403 && !(res.status === 401 && res.body.error === 'UNAUTHENTICATED');
}

describe('Who may do what: every route with every role', () => {
  let t: TestApp;
  let routes: string[];
  const tokens = {} as Record<Role, string>;
  let badCredentials: Array<[string, Record<string, string>]>;

  beforeAll(async () => {
    t = await startTestApp({ env: { PROJECTOR: 'embedded' } });
    routes = routesOf(t);
    for (const role of ROLES) tokens[role] = await bearer([role]);
    badCredentials = [
      ['a token signed with another secret', { authorization: await bearer(['admin'], { secret: 'not-the-secret-but-long-enough-32-bytes' }) }],
      ['an expired token', { authorization: await bearer(['admin'], { expiresIn: -60 }) }],
      ['garbage', { authorization: 'Bearer not.a.token' }],
      ['an unknown API key', { 'x-api-key': newApiKey().key }],
    ];
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('has an entry for every route the application serves, and no entry for a route it does not', () => {
    const missing = routes.filter((r) => !(entryOf(r) in TABLE));
    expect(missing).toEqual([]);
    const served = new Set(routes.map(entryOf));
    expect(Object.keys(TABLE).filter((entry) => !served.has(entry))).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(TABLE).length);
  });

  it('answers 401 (with a Bearer challenge) without a credential or with a bad one, 403 naming the roles to those without one, and lets the rest through', async () => {
    const wrong: string[] = [];
    const check = (route: string, who: string, ok: boolean, detail: string) => {
      if (!ok) wrong.push(`${route} as ${who}: ${detail}`);
    };
    for (const route of routes) {
      const entry = TABLE[entryOf(route)]!;
      const allowed = entry === 'public' ? null : [...new Set<Role>([...entry, 'admin'])];
      await Promise.all([
        ...ROLES.map(async (role) => {
          const res = await call(t, route).set('Authorization', tokens[role]);
          if (allowed === null) return check(route, role, passedTheGuard(res), `got ${res.status} ${JSON.stringify(res.body)}`);
          if (allowed.includes(role)) return check(route, role, res.status !== 401 && res.status !== 403, `got ${res.status} ${JSON.stringify(res.body)}`);
          check(route, role, res.status === 403, `expected 403, got ${res.status}`);
          check(route, role, res.body.error === 'FORBIDDEN' && [...res.body.requiredRoles].sort().join() === [...allowed].sort().join(), `403 body ${JSON.stringify(res.body)}`);
        }),
        (async () => {
          const res = await call(t, route);
          if (allowed === null) return check(route, 'nobody', passedTheGuard(res), `got ${res.status} ${JSON.stringify(res.body)}`);
          check(route, 'nobody', res.status === 401 && res.body.error === 'UNAUTHENTICATED' && /^Bearer /.test(res.headers['www-authenticate'] ?? ''), `got ${res.status} ${res.headers['www-authenticate']}`);
        })(),
        ...badCredentials.map(async ([name, headers]) => {
          if (allowed === null) return;
          const res = await call(t, route).set(headers);
          check(route, name, res.status === 401 && res.body.error === 'UNAUTHENTICATED' && /error="invalid_token"/.test(res.headers['www-authenticate'] ?? ''), `got ${res.status}`);
        }),
      ]);
    }
    expect(wrong).toEqual([]);
  });

  it('says in the 403 which roles may call the route, in the API error body', async () => {
    const res = await request(t.rawHttp).post(`/leads/${randomUUID()}/owner`).set('Authorization', tokens.sales).send({ owner: 'bob' }).expect(403);
    expect(res.body).toEqual({ statusCode: 403, error: 'FORBIDDEN', message: 'POST /leads/:id/owner needs the role manager or admin; you have sales', requiredRoles: ['manager', 'admin'] });
  });

  it('refuses a token whose roles are all unknown: authenticated, but allowed nothing', async () => {
    const res = await request(t.rawHttp).get('/stages').set('Authorization', await bearer([])).expect(403);
    expect(res.body.message).toMatch(/you have no role/);
  });
});
