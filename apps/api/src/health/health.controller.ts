import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { Public } from '../auth/access.decorators';
import { ConversionRecoveryService } from '../conversion/conversion-recovery.service';
import { EventFeedService } from '../feed/event-feed.service';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly recovery: ConversionRecoveryService,
    private readonly feed: EventFeedService,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  /** Public (no credentials: load balancers and orchestrators probe it). Up when the event store answers; says how far the store and the conversion completer are, the open event feeds and the webhook deliveries. */
  @Public()
  @Get()
  async health() {
    const head = await this.store.headPosition();
    return { status: 'ok', eventStore: { headPosition: head?.toString() ?? null }, conversionCompleter: this.recovery.stats(), eventFeed: this.feed.stats(), webhooks: this.webhooks.stats() };
  }
}
