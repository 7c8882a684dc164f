import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { Viewer, redactEventMessage } from '../auth/redaction';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { toFeedMessage, toSubscriptionFilter } from './feed-message';
import { FeedRequest } from './feed-params';
import { SseStream } from './sse-stream';

export interface FeedStats {
  /** Streams open right now. */
  open: number;
  /** Streams opened since the process started. */
  served: number;
  /** Events written to streams since the process started. */
  delivered: number;
}

/**
 * The Server-Sent Events feed of the global stream: one store subscription per connected client, read only as fast
 * as that client takes the events (pull-based: a slow client costs a page of events and a socket buffer, however far
 * behind it is), with heartbeats while idle. Ends every open stream when the service shuts down.
 */
@Injectable()
export class EventFeedService implements OnModuleDestroy {
  private readonly logger = new Logger(EventFeedService.name);
  private readonly open = new Set<AbortController>();
  private served = 0;
  private delivered = 0;
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether one more stream may open (FEED_MAX_CLIENTS). */
  hasRoom(): boolean {
    return this.open.size < this.config.feed.maxClients && !this.shutdown.signal.aborted;
  }

  stats(): FeedStats {
    return { open: this.open.size, served: this.served, delivered: this.delivered };
  }

  /** Streams the feed into `res` until the client leaves or the service stops; personal fields as the viewer may see them. */
  async serve(request: FeedRequest, viewer: Viewer, res: ServerResponse): Promise<void> {
    const abort = new AbortController();
    const stop = () => abort.abort();
    res.on('close', stop);
    this.shutdown.signal.addEventListener('abort', stop, { once: true });
    this.open.add(abort);
    this.served++;
    const stream = new SseStream(res);
    const heartbeat = setInterval(() => stream.heartbeat(this.config.feed.heartbeatMs), Math.max(50, Math.floor(this.config.feed.heartbeatMs / 2)));
    try {
      const after = request.after === 'end' ? await this.store.headPosition() : request.after;
      stream.open(this.config.feed.retryMs);
      const events = this.store.subscribeToAll({ after, filter: toSubscriptionFilter(request.filter), signal: abort.signal });
      for await (const event of events) {
        await stream.ready(abort.signal);
        if (abort.signal.aborted) break;
        stream.event(redactEventMessage(viewer, toFeedMessage(event)));
        this.delivered++;
      }
    } catch (error) {
      // Headers are sent: the client can only see the stream end, and its EventSource reconnects with Last-Event-ID.
      if (!abort.signal.aborted) this.logger.error(`feed stream failed: ${(error as Error).message}`);
    } finally {
      clearInterval(heartbeat);
      res.off('close', stop);
      this.shutdown.signal.removeEventListener('abort', stop);
      this.open.delete(abort);
      stream.end();
    }
  }

  /** Before the stores close: every open stream ends (its client reconnects elsewhere, or later, with Last-Event-ID). */
  onModuleDestroy(): void {
    this.shutdown.abort();
  }
}
