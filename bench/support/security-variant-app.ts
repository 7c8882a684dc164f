/**
 * The api as bench/security.bench.ts runs it: the real application (AppModule, configureApp), with authentication
 * and/or the encryption of personal data switched off by the environment, for a same-run comparison. Benchmarks
 * only: the service itself has no setting that turns either off.
 *
 *   BENCH_AUTH=on|off BENCH_ENCRYPTION=on|off DATA_DIR=… PORT=… JWT_SECRET=… node -r ts-node/register/transpile-only \
 *     -r tsconfig-paths/register bench/support/security-variant-app.ts
 *
 * - BENCH_AUTH=off: every request is the same admin, without looking at any credential (no JWT verification); the
 *   guard still runs and checks the route's roles.
 * - BENCH_ENCRYPTION=off: the repository seals nothing, and the store is the SQLite event store itself (nothing
 *   opened on read): personal fields are written in the clear, as before encryption existed.
 */
import 'reflect-metadata';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { Authenticator } from '../../apps/api/src/auth/authenticator.service';
import { principalFor } from '../../apps/api/src/auth/principal';
import { configureApp } from '../../apps/api/src/bootstrap';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { withoutEncryption } from './without-encryption';

async function main(): Promise<void> {
  const config = loadConfig();
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (process.env['BENCH_AUTH'] === 'off') {
    const admin = principalFor('user:bench', 'user', ['admin'], true);
    builder = builder.overrideProvider(Authenticator).useValue({ authenticate: async () => admin });
  }
  if (process.env['BENCH_ENCRYPTION'] === 'off') {
    builder = withoutEncryption(builder, config.eventStoreFile);
  }
  const moduleRef = await builder.compile();
  const app = configureApp(moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['fatal', 'error', 'warn'] }), {
    config,
    openApi: false,
  });
  await app.listen(config.port, config.host);
  console.log(`listening on ${config.host}:${config.port} (auth ${process.env['BENCH_AUTH'] ?? 'on'}, encryption ${process.env['BENCH_ENCRYPTION'] ?? 'on'})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
