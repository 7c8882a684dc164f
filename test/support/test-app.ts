import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { openEventStores } from '../../apps/api/src/infrastructure/event-stores';

export interface TestApp {
  app: NestExpressApplication;
  /** The HTTP server, for supertest. */
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real application on the embedded SQLite store in a temporary directory (or the one given, to "restart" on
 * the same data). `wrapStore` lets a test put something between the application and the real store (the store as the
 * application sees it: personal fields opened).
 */
export async function startTestApp(
  options: { dataDir?: string; wrapStore?: (store: EventStore) => EventStore; env?: NodeJS.ProcessEnv } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pl-e2e-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', CHECKPOINT_INTERVAL_MS: '20', ...options.env });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.wrapStore) {
    const wrap = options.wrapStore;
    builder = builder.overrideProvider(EVENT_STORE).useFactory({ factory: () => wrap(openEventStores(config).events) });
  }
  const moduleRef = await builder.compile();
  const app = configureApp(moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false }));
  await app.init();
  return { app, http: app.getHttpServer(), dataDir, close: () => app.close() };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
