import request from 'supertest';
import { bearer } from './support/auth';
import { TestApp, removeDir, startTestApp } from './support/test-app';

/** The OpenAPI document is built from the same zod schemas that validate the requests. */
describe('OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('serves /openapi.json describing every route, with request bodies from the validation schemas', async () => {
    const doc = (await request(t.http).get('/openapi.json').expect(200)).body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/leads', '/leads/{id}', '/leads/{id}/convert', '/opportunities/{id}/stage', '/accounts', '/contacts', '/stages', '/health']),
    );
    const createLead = doc.paths['/leads'].post;
    const body = createLead.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['lastName', 'company', 'source']);
    expect(body.properties.source.enum).toContain('Web Form');
    expect(body.additionalProperties).toBe(false);
    expect(createLead.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['Idempotency-Key', 'If-Match', 'X-Correlation-Id']));
    expect(createLead.parameters.map((p: { name: string }) => p.name)).not.toContain('X-Actor'); // the actor is who authenticated
    expect(createLead.responses['400'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    const convert = doc.paths['/leads/{id}/convert'].post.requestBody.content['application/json'].schema;
    expect(convert.properties.opportunity.required).toEqual(['closeDate']);
  });

  it('says how to authenticate, which roles may call each operation, and that /health needs nothing', async () => {
    const doc = (await request(t.http).get('/openapi.json').expect(200)).body;
    expect(doc.components.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } });
    expect(doc.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    const reassign = doc.paths['/leads/{id}/owner'].post;
    expect(reassign['x-roles']).toEqual(['manager', 'admin']);
    expect(reassign.description).toMatch(/Roles: manager, admin\./);
    expect(Object.keys(reassign.responses)).toEqual(expect.arrayContaining(['401', '403']));
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.paths['/health'].get.responses).not.toHaveProperty('401');
  });

  it('is for authenticated callers only, every role alike', async () => {
    await request(t.rawHttp).get('/openapi.json').expect(401);
    await request(t.rawHttp).get('/docs').expect(401);
    await request(t.rawHttp).get('/openapi.json').set('Authorization', await bearer(['analyst'])).expect(200);
    await request(t.rawHttp).get('/openapi.yaml').set('Authorization', await bearer(['integration'])).expect(200);
    const noRole = await request(t.rawHttp).get('/openapi.json').set('Authorization', await bearer([])).expect(403);
    expect(noRole.body).toMatchObject({ statusCode: 403, error: 'FORBIDDEN' });
  });

  it('renders it for people at /docs', async () => {
    const page = await request(t.http).get('/docs').redirects(1).expect(200);
    expect(page.text).toMatch(/swagger-ui/i);
  });
});
