import { inspect } from 'node:util';
import { Filter, UpdateFilter } from 'mongodb';
import { FeedFilter } from '../feed/feed-message';
import { InCreationOrder } from '../infrastructure/mongodb-creation-order';
import { DeliveryFailure, NewWebhookSubscription, WebhookStatus, WebhookSubscription } from './webhook-store.port';

/**
 * How MongoWebhookStore lays subscriptions out as documents, and the writes it sends: pure functions, unit-tested
 * without a server (mongodb-webhook-mapping.spec.ts).
 *
 * Positions are bigints of up to 128 bits (EventStoreDB's is commit * 2^64 + prepare), wider than any BSON number (a
 * double is exact to 2^53, a long to 2^63, a decimal128 to 34 digits). So a position is kept as its decimal digits
 * in a string, as the checkpoints are (libs/event-store/src/mongodb-checkpoint-mapping.ts) and as the feed shows it,
 * and only positions a SQLite store can keep are taken: 0 to 2^128 - 1 (a RangeError otherwise, before any write).
 */

/**
 * A subscription: `_id` is its id; the filter a subdocument, as JSON would keep it (what SQLite stores); times the
 * strings the port gives, character for character; the counts numbers; `seq` the creation order
 * (../infrastructure/mongodb-creation-order.ts), which is what list() sorts by (SQLite's ORDER BY rowid).
 */
export interface WebhookDocument extends InCreationOrder, Omit<WebhookSubscription, 'id' | 'position'> {
  /** encodePosition's digits; null: before the first event. */
  position: string | null;
}

/* ---------- positions ---------- */

const POSITION_LIMIT = 2n ** 128n;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** A global position as stored: its decimal digits. Refuses what is no position (negative, or beyond 128 bits). */
export function encodePosition(position: bigint): string {
  if (typeof position !== 'bigint') throw new TypeError(`A position must be a bigint, found ${inspect(position)}`);
  if (position < 0n || position >= POSITION_LIMIT) throw new RangeError(`${position} is not a global position`);
  return position.toString();
}

/** A stored position back (null: none yet); anything but decimal digits of a position is refused. */
export function decodePosition(stored: unknown): bigint | null {
  if (stored === null || stored === undefined) return null;
  if (typeof stored !== 'string' || !DECIMAL.test(stored)) {
    throw new TypeError(`A stored webhook position must be a string of decimal digits, found ${inspect(stored)}`);
  }
  const position = BigInt(stored);
  if (position >= POSITION_LIMIT) throw new RangeError(`A stored webhook position is beyond 128 bits: ${stored}`);
  return position;
}

/* ---------- documents ---------- */

/** Sorted by creation order: oldest first. */
export const WEBHOOK_LIST_ORDER = { seq: 1 } as const;

/** A new subscription's document, all but its place in the creation order: active, nothing delivered, nothing failed. */
export function newWebhookDocument(subscription: NewWebhookSubscription): Omit<WebhookDocument, 'seq'> {
  return {
    _id: subscription.id,
    url: subscription.url,
    filter: asJson(subscription.filter),
    secret: subscription.secret,
    status: 'active',
    position: subscription.position === null ? null : encodePosition(subscription.position),
    createdAt: subscription.createdAt,
    createdBy: subscription.createdBy ?? null,
    pii: subscription.pii === true,
    deliveredCount: 0,
    consecutiveFailures: 0,
    lastError: null,
    lastAttemptAt: null,
    nextAttemptAt: null,
    pausedAt: null,
  };
}

/** A subscription as the port answers it. */
export function toWebhookSubscription(document: WebhookDocument): WebhookSubscription {
  return {
    id: document._id,
    url: document.url,
    filter: filterOf(document.filter),
    secret: document.secret,
    status: statusOf(document.status),
    position: decodePosition(document.position),
    createdAt: document.createdAt,
    createdBy: document.createdBy ?? null,
    pii: document.pii === true,
    deliveredCount: countOf('deliveredCount', document.deliveredCount),
    consecutiveFailures: countOf('consecutiveFailures', document.consecutiveFailures),
    lastError: document.lastError ?? null,
    lastAttemptAt: document.lastAttemptAt ?? null,
    nextAttemptAt: document.nextAttemptAt ?? null,
    pausedAt: document.pausedAt ?? null,
  };
}

/** The filter as SQLite keeps it (JSON.stringify, then JSON.parse): fields left undefined are not kept. */
function asJson(filter: FeedFilter): FeedFilter {
  return JSON.parse(JSON.stringify(filter)) as FeedFilter;
}

function filterOf(stored: unknown): FeedFilter {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) throw new TypeError(`A stored webhook filter must be a document, found ${inspect(stored)}`);
  return stored as FeedFilter;
}

function statusOf(stored: unknown): WebhookStatus {
  if (stored !== 'active' && stored !== 'paused') throw new TypeError(`A stored webhook status must be active or paused, found ${inspect(stored)}`);
  return stored;
}

function countOf(field: string, stored: unknown): number {
  if (typeof stored !== 'number' || !Number.isSafeInteger(stored) || stored < 0) throw new TypeError(`A stored ${field} must be a count, found ${inspect(stored)}`);
  return stored;
}

/* ---------- writes ---------- */

export function byId(id: string): Filter<WebhookDocument> {
  return { _id: id };
}

/** Only a paused subscription is resumed (SQLite's WHERE id = ? AND status = 'paused'): an active one is left alone. */
export function pausedById(id: string): Filter<WebhookDocument> {
  return { _id: id, status: 'paused' };
}

/** Active again, the failure count back to 0, no retry waiting; position, counts and the last error kept. */
export function resumeUpdate(): UpdateFilter<WebhookDocument> {
  return { $set: { status: 'active', consecutiveFailures: 0, nextAttemptAt: null, pausedAt: null } };
}

/** An acknowledged delivery: its position (whichever way it moved), one more delivered, no failures, no retry waiting. */
export function acknowledgeUpdate(position: bigint, at: string): UpdateFilter<WebhookDocument> {
  return {
    $set: { position: encodePosition(position), consecutiveFailures: 0, lastAttemptAt: at, nextAttemptAt: null },
    $inc: { deliveredCount: 1 },
  };
}

/** A failed attempt: one more consecutive failure, the error and the next attempt recorded, and paused (now) when told. */
export function failureUpdate(failure: DeliveryFailure): UpdateFilter<WebhookDocument> {
  return {
    $set: {
      lastError: failure.error,
      lastAttemptAt: failure.at,
      nextAttemptAt: failure.nextAttemptAt ?? null,
      ...(failure.pause ? { status: 'paused' as const, pausedAt: failure.at } : {}),
    },
    $inc: { consecutiveFailures: 1 },
  };
}
