import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { Authenticator } from './auth/authenticator.service';
import { requireAuthentication } from './auth/require-authentication.middleware';
import { AppConfig } from './config/app-config';
import { OPENAPI_PATHS, setupOpenApi } from './http/openapi';
import { requireJsonBodies } from './http/require-json.middleware';
import { configureIntakeHttp } from './intake/intake-http';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The largest request body accepted (413 beyond it). */
export const BODY_LIMIT = '100kb';

/** Builds the HTTP application (not listening yet), as main.ts runs it. */
export async function createApp(config: AppConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  const logger = options.logger === false ? false : LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger, bodyParser: false });
  return configureApp(app, { config });
}

/**
 * What every instance of the application gets, whoever builds it (main.ts, end-to-end tests, benchmarks): security
 * headers (helmet), CORS only for the configured origins (none: off), JSON bodies up to 100 kB, and the OpenAPI
 * document for authenticated callers. The application must be created with `bodyParser: false`.
 */
export function configureApp(
  app: NestExpressApplication,
  options: { openApi?: boolean; config?: Pick<AppConfig, 'corsOrigins' | 'trustProxy'> } = {},
): NestExpressApplication {
  const config = options.config;
  // req.ip: the client's address as the trusted proxies in front report it (TRUST_PROXY), else the connection's.
  if (config) app.set('trust proxy', config.trustProxy);
  app.use(helmet());
  app.use(requireJsonBodies);
  // Before CORS and the JSON parser below: the web-form route has its own CORS (any origin), smaller limits, and HTML form posts.
  configureIntakeHttp(app);
  if (config?.corsOrigins.length) {
    app.enableCors({
      origin: [...config.corsOrigins],
      allowedHeaders: ['Authorization', 'X-Api-Key', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Correlation-Id', 'X-Occurred-At', 'Last-Event-ID'],
      exposedHeaders: ['ETag', 'Location', 'Idempotent-Replayed', 'Retry-After', 'WWW-Authenticate'],
      maxAge: 600,
    });
  }
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  if (options.openApi !== false) {
    // Served by Swagger's own routes, outside the controllers (and so outside the AccessGuard): guarded here.
    app.use([...OPENAPI_PATHS], requireAuthentication(app.get(Authenticator)));
    setupOpenApi(app);
  }
  return app;
}
