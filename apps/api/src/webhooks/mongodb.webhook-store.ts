import { Collection } from 'mongodb';
import { MongoStoreOptions, recordCollection } from '../infrastructure/mongodb-records';
import { CREATION_ORDER_INDEX, insertInCreationOrder } from '../infrastructure/mongodb-creation-order';
import {
  WEBHOOK_LIST_ORDER,
  WebhookDocument,
  acknowledgeUpdate,
  byId,
  failureUpdate,
  newWebhookDocument,
  pausedById,
  resumeUpdate,
  toWebhookSubscription,
} from './mongodb-webhook-mapping';
import { DeliveryFailure, NewWebhookSubscription, WebhookStore, WebhookSubscription } from './webhook-store.port';

export const WEBHOOK_SUBSCRIPTIONS_COLLECTION = 'webhook_subscriptions';

/**
 * Webhook subscriptions on MongoDB (production, where api replicas keep nothing on disk): one document per
 * subscription in `webhook_subscriptions`, its id as `_id`, the position as decimal digits (exact to 128 bits: see
 * mongodb-webhook-mapping.ts). The secret is stored as is, since it has to sign: whoever can read the database can
 * read it. The client connects on first use.
 *
 * - Order: list() sorts by creation order (`seq`, ../infrastructure/mongodb-creation-order.ts), as SQLite's ORDER BY
 *   rowid: oldest first, whatever createdAt says. Its unique index is created on the first create() or list() of each
 *   store (createIndexes leaves an existing one as it is).
 * - Each write is one update of one document, so atomic: acknowledge and recordFailure are updateOne with $set and
 *   $inc (two replicas counting at once lose nothing), answering whether the subscription was there (matchedCount, as
 *   SQLite's changes counts rows matched); resume is a findOneAndUpdate of a paused subscription only, then a read of
 *   it when there was nothing to resume (as SQLite's UPDATE ... WHERE status = 'paused' then SELECT).
 */
export class MongoWebhookStore implements WebhookStore {
  private readonly subscriptions: Collection<WebhookDocument>;
  private readonly release: () => Promise<void>;
  private readonly indexed: () => Promise<void>;

  constructor(options: MongoStoreOptions) {
    ({ collection: this.subscriptions, indexed: this.indexed, close: this.release } = recordCollection<WebhookDocument>(options, WEBHOOK_SUBSCRIPTIONS_COLLECTION, [CREATION_ORDER_INDEX]));
  }

  async create(subscription: NewWebhookSubscription): Promise<WebhookSubscription> {
    const document = newWebhookDocument(subscription); // refuses a bad position before anything is written
    await this.indexed();
    return toWebhookSubscription(await insertInCreationOrder(this.subscriptions, document));
  }

  async get(id: string): Promise<WebhookSubscription | null> {
    const document = await this.subscriptions.findOne(byId(id));
    return document ? toWebhookSubscription(document) : null;
  }

  async list(): Promise<WebhookSubscription[]> {
    await this.indexed();
    return (await this.subscriptions.find().sort(WEBHOOK_LIST_ORDER).toArray()).map(toWebhookSubscription);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.subscriptions.deleteOne(byId(id))).deletedCount > 0;
  }

  async resume(id: string): Promise<WebhookSubscription | null> {
    const resumed = await this.subscriptions.findOneAndUpdate(pausedById(id), resumeUpdate(), { returnDocument: 'after' });
    if (resumed) return toWebhookSubscription(resumed);
    return this.get(id);
  }

  async acknowledge(id: string, position: bigint, at: string): Promise<boolean> {
    return (await this.subscriptions.updateOne(byId(id), acknowledgeUpdate(position, at))).matchedCount > 0;
  }

  async recordFailure(id: string, failure: DeliveryFailure): Promise<boolean> {
    return (await this.subscriptions.updateOne(byId(id), failureUpdate(failure))).matchedCount > 0;
  }

  async close(): Promise<void> {
    await this.release();
  }
}
