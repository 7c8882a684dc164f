import { Inject, Injectable } from '@nestjs/common';
import { IncomingHttpHeaders } from 'node:http';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AccessError } from './access.errors';
import { looksLikeApiKey, parseApiKey, secretMatches } from './api-key';
import { API_KEY_STORE, ApiKeyStore } from './api-key-store.port';
import { JwtVerifier } from './jwt-verifier';
import { Principal, principalFor } from './principal';

/** last_used_at is written at most this often per key, so that a busy service does not write on every request. */
const MARK_USED_EVERY_MS = 60_000;

/**
 * Who is calling, from the request's credentials: `Authorization: Bearer <JWT>`, `Authorization: Bearer plk_...`
 * or `X-Api-Key: plk_...`. Refuses (401) a request without one, with a malformed, expired, revoked or unknown one,
 * or with two. Nothing here logs or echoes a credential.
 */
@Injectable()
export class Authenticator {
  private readonly jwt: JwtVerifier | null;
  private readonly lastMarked = new Map<string, number>();

  constructor(
    @Inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.jwt = config.auth.jwt ? new JwtVerifier(config.auth.jwt) : null;
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<Principal> {
    const authorization = headers.authorization?.trim();
    const apiKey = headerValue(headers['x-api-key'])?.trim();
    if (authorization && apiKey) throw AccessError.invalidCredentials('send one credential: Authorization or X-Api-Key, not both');
    if (apiKey) return this.apiKey(apiKey); // X-Api-Key carries API keys only
    if (!authorization) throw AccessError.missingCredentials();
    const bearer = /^Bearer[ \t]+(\S+)$/i.exec(authorization);
    if (!bearer) throw AccessError.invalidCredentials('use the Bearer scheme: Authorization: Bearer <token or API key>');
    return looksLikeApiKey(bearer[1]!) ? this.apiKey(bearer[1]!) : this.token(bearer[1]!);
  }

  private async token(token: string): Promise<Principal> {
    if (!this.jwt) throw AccessError.invalidCredentials('bearer tokens are not accepted here (no JWT_SECRET, JWT_PUBLIC_KEY_FILE or JWT_JWKS_FILE is set): use an API key');
    return this.jwt.verify(token);
  }

  private async apiKey(key: string): Promise<Principal> {
    const parts = parseApiKey(key);
    if (!parts) throw AccessError.invalidCredentials('not a well-formed API key (plk_<id>_<secret>)');
    const stored = await this.keys.get(parts.id);
    // One answer for unknown, revoked and wrong: which key ids exist is nobody's business.
    if (!stored || stored.revokedAt !== null || !secretMatches(parts.secret, stored.secretHash)) throw AccessError.invalidCredentials('unknown or revoked API key');
    this.markUsed(stored.id);
    return principalFor(`key:${stored.id}`, 'api-key', stored.roles, stored.pii);
  }

  private markUsed(id: string): void {
    const now = Date.now();
    if (now - (this.lastMarked.get(id) ?? 0) < MARK_USED_EVERY_MS) return;
    this.lastMarked.set(id, now);
    void this.keys.markUsed(id, new Date(now).toISOString()).catch(() => undefined); // bookkeeping: never fails a request
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
