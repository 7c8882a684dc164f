import { Controller, Get, Headers, Query, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Allow } from '../auth/access.decorators';
import { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { EventFeedService } from './event-feed.service';
import { parseFeedRequest } from './feed-params';

/** Downstream services: the global stream as Server-Sent Events, resumable, filtered, with heartbeats. */
@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly feed: EventFeedService) {}

  @Allow('integration')
  @Get()
  @ApiOperation({
    summary: 'Server-Sent Events feed of every event, in global order, from a position',
    description:
      'Each SSE message: `id` = the global position (an EventSource sends it back as Last-Event-ID on reconnect), `event` = the event type, ' +
      '`data` = one JSON message (eventId to deduplicate, position, streamId, type, schemaVersion, occurredAt, recordedAt, actor, correlationId, causationId, data). ' +
      'A comment line is sent as a heartbeat while there is nothing to send. Without the pii grant, personal fields read "[redacted]". See /asyncapi.json.',
  })
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'from', required: false, description: 'start (default), end, or the position of the last event you have: the feed continues after it' })
  @ApiQuery({ name: 'types', required: false, description: 'comma-separated event types, e.g. LeadConverted,OpportunityStageChanged' })
  @ApiQuery({ name: 'streams', required: false, description: 'comma-separated stream id prefixes, e.g. lead-,opportunity-' })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this position (overrides from)' })
  @ApiResponse({ status: 200, description: 'text/event-stream' })
  @ApiResponse({ status: 400, description: 'a bad parameter, named' })
  @ApiResponse({ status: 503, description: 'too many open feeds (FEED_MAX_CLIENTS); retry later' })
  async events(@Query() query: Record<string, unknown>, @Headers('last-event-id') lastEventId: string | undefined, @CurrentPrincipal() who: Principal, @Res() res: Response): Promise<void> {
    const request = parseFeedRequest(query, lastEventId);
    if (!this.feed.hasRoom()) {
      res.setHeader('Retry-After', '5');
      throw new ServiceUnavailableException(`too many event feeds are open (FEED_MAX_CLIENTS); retry later`);
    }
    await this.feed.serve(request, who, res);
  }
}
