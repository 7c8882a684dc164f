import { Parser } from '@asyncapi/parser';
import request from 'supertest';
import { DOMAIN_EVENT_TYPES } from '@pipeline-ledger/domain';
import { TestApp, removeDir, startTestApp } from './support/test-app';

/** Downstream services read the event contracts from the api itself. */
describe('GET /asyncapi.json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('answers the AsyncAPI document, which @asyncapi/parser validates without errors or warnings', async () => {
    const res = await request(t.http).get('/asyncapi.json').expect(200).expect('Content-Type', /application\/json/);
    const { document, diagnostics } = await new Parser().parse(res.text);
    expect(diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual([]);
    expect(document!.version()).toBe('3.1.0');
    expect(document!.channels().all().map((c) => c.address())).toContain('/events');
    const feed = document!.channels().all().find((c) => c.id() === 'eventFeed')!;
    expect(feed.messages().all().map((m) => m.id()).sort()).toEqual([...DOMAIN_EVENT_TYPES].sort());
  }, 30_000);

  it('is listed in the OpenAPI document', async () => {
    const openapi = (await request(t.http).get('/openapi.json').expect(200)).body;
    expect(openapi.paths['/asyncapi.json'].get.summary).toMatch(/AsyncAPI/);
  });
});
