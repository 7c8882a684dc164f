import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AccessGuard } from './access.guard';
import { API_KEY_STORE, ApiKeyStore } from './api-key-store.port';
import { Authenticator } from './authenticator.service';
import { openApiKeyStore } from '../infrastructure/stores';

/** Says at start-up how callers can authenticate; closes the key store last. */
@Injectable()
class AuthLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Auth');
  constructor(
    @Inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const jwt = this.config.auth.jwt;
    const tokens = jwt ? [jwt.hs256Secret ? 'HS256' : null, jwt.rs256 ? `RS256 (${jwt.rs256.kind === 'pem' ? 'JWT_PUBLIC_KEY_FILE' : 'JWT_JWKS_FILE'})` : null].filter(Boolean).join(' and ') : null;
    const active = (await this.keys.list()).filter((k) => k.revokedAt === null).length;
    this.logger.log(`authentication: ${active} active API key(s)${tokens ? `, bearer JWTs signed ${tokens}` : '; no JWT settings, so API keys only'}`);
    if (!jwt && active === 0) this.logger.warn('no credential can authenticate yet: create an API key with `npm run cli -- keys create --name <name> --role admin`');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
  }
}

/** Authentication (API keys, JWTs) and the global, fail-closed access guard. */
@Module({
  providers: [
    { provide: API_KEY_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig): ApiKeyStore => openApiKeyStore(config) },
    Authenticator,
    { provide: APP_GUARD, useClass: AccessGuard },
    AuthLifecycle,
  ],
  exports: [Authenticator, API_KEY_STORE],
})
export class AuthModule {}
