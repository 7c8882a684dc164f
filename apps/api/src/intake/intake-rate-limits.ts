import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RateLimiters, openRateLimiters } from '../infrastructure/stores';
import { HttpRefusal } from '../http/http-refusal';
import { addressRateKey } from './client-address';

/** How long refused keys are counted against an address. */
export const FAILED_KEY_WINDOW_SECONDS = 15 * 60;

/**
 * The limits of POST /intake/leads (rate-limiter-flexible): submissions per minute per client address and per form
 * key, and refused keys per address (brute force, and a page left behind with a revoked key). Over a limit: 429 with
 * Retry-After. Counted in MongoDB, across replicas, when the service's state is there; in this process's memory with
 * the embedded stores (see openRateLimiters).
 */
@Injectable()
export class IntakeRateLimits implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly limiters: RateLimiters;
  private readonly perAddress: RateLimiterAbstract;
  private readonly perForm: RateLimiterAbstract;
  private readonly failedKeys: RateLimiterAbstract;
  private readonly failedKeyPoints: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const c = config.intake;
    this.limiters = openRateLimiters(config);
    this.perAddress = this.limiters.limiter({ keyPrefix: 'intake-address', points: c.perAddressPerMinute, duration: 60 });
    this.perForm = this.limiters.limiter({ keyPrefix: 'intake-form', points: c.perKeyPerMinute, duration: 60 });
    this.failedKeys = this.limiters.limiter({ keyPrefix: 'intake-failed-key', points: c.failedKeysPerAddress, duration: FAILED_KEY_WINDOW_SECONDS });
    this.failedKeyPoints = c.failedKeysPerAddress;
  }

  /** Not awaited: the api answers meanwhile (a limiter works before its indexes exist; they make expiry and lookups cheap). */
  onApplicationBootstrap(): void {
    void this.limiters.start().catch((error: Error) => new Logger('IntakeRateLimits').warn(`rate-limit indexes not made: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.limiters.close();
  }

  /** One more submission from this address; 429 when over its limit, or when it has presented too many bad keys. */
  async address(address: string | undefined): Promise<void> {
    const key = addressRateKey(address);
    const failed = await this.failedKeys.get(key);
    if (failed && failed.consumedPoints >= this.failedKeyPoints) {
      throw HttpRefusal.tooManyRequests('too many refused form keys from your address; try again later', failed.msBeforeNext);
    }
    await consume(this.perAddress, key, 'too many submissions from your address; try again later');
  }

  /** One more submission through this form's key; 429 when over its limit. */
  async form(formId: string): Promise<void> {
    await consume(this.perForm, formId, 'too many submissions through this form; try again later');
  }

  /** A refused key from this address: counted; 429 instead of 401 once there have been too many. */
  async refusedKey(address: string | undefined): Promise<void> {
    await consume(this.failedKeys, addressRateKey(address), 'too many refused form keys from your address; try again later');
  }
}

async function consume(limiter: RateLimiterAbstract, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw HttpRefusal.tooManyRequests(message, rejection.msBeforeNext);
    throw rejection;
  }
}
