import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { ConversionRecoveryService } from '../conversion/conversion-recovery.service';
import { EventFeedService } from '../feed/event-feed.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly recovery: ConversionRecoveryService,
    private readonly feed: EventFeedService,
  ) {}

  /** Up when the event store answers; says how far the store and the conversion completer are, and the open event feeds. */
  @Get()
  async health() {
    const head = await this.store.headPosition();
    return { status: 'ok', eventStore: { headPosition: head?.toString() ?? null }, conversionCompleter: this.recovery.stats(), eventFeed: this.feed.stats() };
  }
}
