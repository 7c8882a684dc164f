import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { setupOpenApi } from './http/openapi';
import { requireJsonBodies } from './http/require-json.middleware';
import { configureIntakeHttp } from './intake/intake-http';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the HTTP application (not listening yet), as main.ts runs it. */
export async function createApp(config: AppConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  const logger = options.logger === false ? false : LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger, bodyParser: false });
  return configureApp(app);
}

/**
 * What every instance of the application gets, whoever builds it (main.ts, end-to-end tests, benchmarks).
 * The application must be created with `bodyParser: false`.
 */
export function configureApp(app: NestExpressApplication, options: { openApi?: boolean } = {}): NestExpressApplication {
  const config = configOf(app);
  // req.ip: the client's address as the trusted proxies in front report it (TRUST_PROXY), else the connection's.
  if (config) app.set('trust proxy', config.trustProxy);
  app.use(requireJsonBodies);
  configureIntakeHttp(app); // before the JSON parser below: its own, smaller limits, and HTML form posts
  app.useBodyParser('json', { limit: '100kb' });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  if (options.openApi !== false) setupOpenApi(app);
  return app;
}

/** The application's configuration, when it has one (the benchmarks' trivial app has none). */
function configOf(app: NestExpressApplication): AppConfig | undefined {
  try {
    return app.get<AppConfig>(APP_CONFIG, { strict: false });
  } catch {
    return undefined;
  }
}
