import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as received (signatures are over these bytes). */
  body: string;
  /** What the receiver answered; null while (or if never) answered. */
  status: number | null;
  receivedAt: number;
}

/** Decides the answer to a request: a status code, at once or later (a receiver that hangs). */
export type Responder = (request: ReceivedRequest, index: number) => number | Promise<number>;

/** A webhook receiver on 127.0.0.1 (an ephemeral port) that records every request and answers as told. */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  respond: Responder = () => 200;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request: ReceivedRequest = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: null, receivedAt: Date.now() };
        const index = receiver.requests.push(request) - 1;
        void Promise.resolve(receiver.respond(request, index)).then((status) => {
          if (res.destroyed) return; // the sender gave up waiting
          request.status = status;
          res.writeHead(status).end();
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/pipeline`;
  }

  /** The requests it answered 2xx (the deliveries the service counts as acknowledged). */
  acknowledged(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status !== null && r.status >= 200 && r.status < 300);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
