import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE } from '@pipeline-ledger/event-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SqliteWebhookStore } from './sqlite.webhook-store';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WEBHOOK_STORE, WebhookStore } from './webhook-store.port';
import { WebhooksController } from './webhooks.controller';

/** Closes the webhook store last, after the dispatcher has stopped (in onModuleDestroy). */
@Injectable()
class WebhookStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(WEBHOOK_STORE) private readonly store: WebhookStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Webhook subscriptions (the API, in every replica) and their delivery (where WEBHOOKS=on). */
@Module({
  controllers: [WebhooksController],
  providers: [
    {
      provide: WEBHOOK_STORE,
      inject: [APP_CONFIG, EVENT_STORE], // the directory exists once the event store is made
      useFactory: (config: AppConfig): WebhookStore => new SqliteWebhookStore(config.eventStoreFile),
    },
    WebhookDispatcher,
    WebhookStoreLifecycle,
  ],
  exports: [WebhookDispatcher],
})
export class WebhooksModule {}
