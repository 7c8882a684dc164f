import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { StoredEvent } from '@pipeline-ledger/event-store';
import { sendWebhook } from './webhook-sender';
import { verifyWebhookSignature } from './webhook-signature';

describe('sendWebhook', () => {
  let server: Server;
  let answer: (res: import('node:http').ServerResponse) => void;
  let seen: { headers: import('node:http').IncomingHttpHeaders; body: string }[];
  let url: string;
  const event = { eventId: 'e-1', streamId: 'lead-1', revision: 0, position: 42n, type: 'LeadCreated', schemaVersion: 1, data: {}, metadata: {} } as unknown as StoredEvent;
  const delivery = (to = url) => ({ subscriptionId: 's-1', url: to, secret: 'sekrit', event, body: '{"eventId":"e-1"}', attempt: 3 });
  const options = { timeoutMs: 200, signal: new AbortController().signal };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        answer(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  beforeEach(() => {
    seen = [];
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('POSTs the body with its signature and the delivery headers; a 2xx acknowledges', async () => {
    answer = (res) => res.writeHead(204).end();
    expect(await sendWebhook(delivery(), options)).toEqual({ ok: true, status: 204 });
    const [{ headers, body }] = seen as [(typeof seen)[number]];
    expect(body).toBe('{"eventId":"e-1"}');
    expect(verifyWebhookSignature('sekrit', body, headers['x-pipeline-signature'] as string)).toBe(true);
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'x-pipeline-event-id': 'e-1',
      'x-pipeline-event-type': 'LeadCreated',
      'x-pipeline-position': '42',
      'x-pipeline-subscription': 's-1',
      'x-pipeline-delivery-attempt': '3',
    });
  });

  it('counts any other status as a failure, redirects included (not followed)', async () => {
    answer = (res) => res.writeHead(503).end('busy');
    expect(await sendWebhook(delivery(), options)).toEqual({ ok: false, error: 'HTTP 503 Service Unavailable' });
    answer = (res) => res.writeHead(302, { Location: '/elsewhere' }).end();
    expect(await sendWebhook(delivery(), options)).toEqual({ ok: false, error: 'HTTP 302 Found' });
    expect(seen).toHaveLength(2);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    answer = () => undefined;
    expect(await sendWebhook(delivery(), options)).toEqual({ ok: false, error: 'no answer within 200 ms' });
  });

  it('describes a receiver that is not there', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const result = await sendWebhook(delivery(`http://127.0.0.1:${port}/hook`), options);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('says so when it was stopped rather than failed', async () => {
    answer = () => undefined;
    const stop = new AbortController();
    const sent = sendWebhook(delivery(), { timeoutMs: 5000, signal: stop.signal });
    setTimeout(() => stop.abort(), 20);
    expect(await sent).toEqual({ ok: false, error: expect.stringMatching(/^stopped/) });
  });
});
