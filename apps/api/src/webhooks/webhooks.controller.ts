import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@pipeline-ledger/domain';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { Allow } from '../auth/access.decorators';
import { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { pathId } from '../http/respond';
import { ValidBody } from '../http/valid-body.decorator';
import { CreateWebhookBody, createWebhookBody } from './webhook.bodies';
import { presentWebhook } from './webhook.presenter';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { newWebhookSecret } from './webhook-signature';
import { WEBHOOK_STORE, WebhookStore, WebhookSubscription } from './webhook-store.port';

/**
 * Webhook subscriptions: a URL and a filter; every matching event is POSTed to it as a signed FeedMessage, in order,
 * retried with backoff, and a subscription that keeps failing is paused until resumed (see README, "Webhooks").
 */
@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    @Inject(WEBHOOK_STORE) private readonly store: WebhookStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /**
   * Registers a subscription. The answer is the only one that shows its secret: keep it to check signatures.
   * Deliveries carry personal fields only if the creator may see them (the pii grant); otherwise they read [redacted].
   */
  @Allow('integration')
  @Post()
  async create(@ValidBody(createWebhookBody) body: CreateWebhookBody, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    const { url, from, ...filter } = body;
    const subscription = await this.store.create({
      id: randomUUID(),
      url,
      filter,
      secret: newWebhookSecret(),
      position: await this.startPosition(from),
      createdAt: new Date().toISOString(),
      createdBy: who.actor,
      pii: who.pii,
    });
    await this.dispatcher.refresh();
    res.location(`/webhooks/${subscription.id}`);
    return { ...presentWebhook(subscription), secret: subscription.secret };
  }

  @Allow('integration')
  @Get()
  async list() {
    return { webhooks: (await this.store.list()).map(presentWebhook) };
  }

  /** Status (active or paused), the last acknowledged position, and how delivery is going. */
  @Allow('integration')
  @Get(':id')
  async get(@Param('id') id: string) {
    return presentWebhook(await this.find(id));
  }

  /** Un-pauses: delivery continues with the event it stopped at, with a fresh count of attempts. */
  @Allow('integration')
  @Post(':id/resume')
  @HttpCode(200)
  async resume(@Param('id') id: string) {
    const subscription = await this.store.resume(pathId(id));
    if (!subscription) throw DomainError.notFound('webhook', id);
    await this.dispatcher.refresh();
    return presentWebhook(subscription);
  }

  /** Stops delivering and forgets the subscription. */
  @Allow('integration')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    if (!(await this.store.delete(pathId(id)))) throw DomainError.notFound('webhook', id);
    await this.dispatcher.refresh();
  }

  private async find(id: string): Promise<WebhookSubscription> {
    const subscription = await this.store.get(pathId(id));
    if (!subscription) throw DomainError.notFound('webhook', id);
    return subscription;
  }

  /** The position delivery starts after: null for the first event, the head for "end", or the one given. */
  private async startPosition(from: string): Promise<bigint | null> {
    if (from === 'start') return null;
    const head = await this.events.headPosition();
    if (from === 'end') return head;
    const position = BigInt(from);
    if (position > (head ?? 0n)) throw DomainError.validation('from', `is past the last event (${head === null ? 'the store is empty' : `position ${head}`})`);
    return position;
  }
}
