import request from 'supertest';
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
    expect(createLead.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['Idempotency-Key', 'If-Match', 'X-Actor']));
    expect(createLead.responses['400'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    const convert = doc.paths['/leads/{id}/convert'].post.requestBody.content['application/json'].schema;
    expect(convert.properties.opportunity.required).toEqual(['closeDate']);
  });

  it('renders it for people at /docs', async () => {
    const page = await request(t.http).get('/docs').redirects(1).expect(200);
    expect(page.text).toMatch(/swagger-ui/i);
  });
});
