import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WebhookDeliveryLoop } from './webhook-delivery-loop';
import { WEBHOOK_STORE, WebhookStore } from './webhook-store.port';

/**
 * Runs one delivery loop per active webhook subscription, when this process delivers (WEBHOOKS=on; off on every
 * other replica, so that each event is delivered by one process only). It reconciles the loops with the stored
 * subscriptions at start-up, whenever this process changes one (refresh()), and every WEBHOOK_REFRESH_MS for the
 * changes made through another replica: a new or resumed subscription gets a loop, a deleted one loses it.
 * Started once the application is up; stopped before the stores close, abandoning deliveries under way
 * unacknowledged (they are made again after the restart).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly loops = new Map<string, WebhookDeliveryLoop>();
  private reconciling: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(WEBHOOK_STORE) private readonly store: WebhookStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get delivering(): boolean {
    return this.config.webhooks.deliver && !this.stopped;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.delivering) return;
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.error(`reading the webhook subscriptions failed: ${(error as Error).message}`));
    }, this.config.webhooks.refreshMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.reconciling;
    await Promise.all([...this.loops.values()].map((loop) => loop.stop()));
  }

  /** For GET /health: whether this process delivers (WEBHOOKS), and to how many subscriptions right now. */
  stats(): { delivering: boolean; subscriptions: number } {
    return { delivering: this.delivering, subscriptions: this.loops.size };
  }

  /** Subscriptions this process is delivering right now (for tests and health). */
  activeLoops(): string[] {
    return [...this.loops.keys()];
  }

  /** Starts and stops loops to match the stored subscriptions. One at a time, so that none acts on a stale list. */
  refresh(): Promise<void> {
    const next = this.reconciling.then(() => this.reconcile());
    this.reconciling = next.catch(() => undefined);
    return next;
  }

  private async reconcile(): Promise<void> {
    if (!this.delivering) return;
    const active = new Set((await this.store.list()).filter((s) => s.status === 'active').map((s) => s.id));
    if (!this.delivering) return;
    for (const [id, loop] of this.loops) if (!active.has(id)) void loop.stop();
    for (const id of active) if (!this.loops.has(id)) this.startLoop(id);
  }

  private startLoop(id: string): void {
    const loop = new WebhookDeliveryLoop(id, { events: this.events, store: this.store, settings: this.config.webhooks, logger: this.logger });
    this.loops.set(id, loop);
    void loop.start().finally(() => {
      if (this.loops.get(id) === loop) this.loops.delete(id);
      // It paused itself, or its subscription was deleted, or it was stopped; if it was resumed meanwhile, start again.
      if (this.delivering) void this.refresh().catch(() => undefined);
    });
  }
}
