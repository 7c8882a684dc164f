import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { openEventStores } from '../../apps/api/src/infrastructure/stores';
import { TEST_JWT_SECRET, tokenFor } from './auth';

export interface TestApp {
  app: NestExpressApplication;
  /**
   * The HTTP server, for supertest; a request without credentials is sent as an admin (user:test-admin), so that
   * tests about other things need not say who they are. Tests about who may do what use `rawHttp`.
   */
  http: Server;
  /** The same application with no credentials added: what an anonymous client gets. */
  rawHttp: Server;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real application on the embedded SQLite store in a temporary directory (or the one given, to "restart" on
 * the same data), authenticating bearer JWTs signed with TEST_JWT_SECRET (see ./auth.ts to mint them) and the API
 * keys of its data directory. `wrapStore` lets a test put something between the application and the real store (the
 * store as the application sees it: personal fields opened).
 */
export async function startTestApp(
  options: { dataDir?: string; wrapStore?: (store: EventStore) => EventStore; env?: NodeJS.ProcessEnv } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pl-e2e-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', CHECKPOINT_INTERVAL_MS: '20', JWT_SECRET: TEST_JWT_SECRET, ...options.env });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.wrapStore) {
    const wrap = options.wrapStore;
    builder = builder.overrideProvider(EVENT_STORE).useFactory({ factory: () => wrap(openEventStores(config).events) });
  }
  const moduleRef = await builder.compile();
  const app = configureApp(moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false }), { config });
  await app.init();

  // The application's own server answers as an admin when a request has no credential of its own.
  const server: Server = app.getHttpServer();
  const handle = app.getHttpAdapter().getInstance() as (req: IncomingMessage, res: ServerResponse) => void;
  const admin = `Bearer ${await tokenFor(['admin'], { sub: 'test-admin', expiresIn: 24 * 3600 })}`;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization === undefined && req.headers['x-api-key'] === undefined) req.headers.authorization = admin;
    handle(req, res);
  });
  return { app, http: server, rawHttp: createServer(handle), dataDir, close: () => app.close() };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
