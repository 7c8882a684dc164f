import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE } from '@pipeline-ledger/event-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { openWebhookStore } from '../infrastructure/stores';
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
      inject: [APP_CONFIG, EVENT_STORE], // made after the event store, whose SQLite file it shares on the embedded default
      useFactory: (config: AppConfig): WebhookStore => openWebhookStore(config),
    },
    WebhookDispatcher,
    WebhookStoreLifecycle,
  ],
  exports: [WebhookDispatcher],
})
export class WebhooksModule {}
