import { z } from 'zod';
import { DOMAIN_EVENT_TYPES, DomainEventType } from '@pipeline-ledger/domain';

/** The HTTP headers of every webhook delivery, besides `Content-Type: application/json`. Header values are text. */
export const webhookHeadersSchema = z
  .object({
    'X-Pipeline-Signature': z
      .string()
      .regex(/^sha256=[0-9a-f]{64}$/)
      .describe(
        '`sha256=` and the hex HMAC-SHA256 of the raw body bytes, keyed with the subscription\'s secret: check it against the ' +
          'body as received, before parsing it, and compare in constant time',
      ),
    'X-Pipeline-Event-Id': z.uuid().describe("The event's id (the body's eventId): deduplicate on it, deliveries are at least once"),
    'X-Pipeline-Event-Type': z.enum(DOMAIN_EVENT_TYPES as [DomainEventType, ...DomainEventType[]]).describe("The event's type (the body's type)"),
    'X-Pipeline-Position': z.string().regex(/^\d{1,39}$/).describe("The event's global position (the body's position)"),
    'X-Pipeline-Subscription': z.string().min(1).describe('The id of the webhook subscription this delivery is for'),
    'X-Pipeline-Delivery-Attempt': z.string().regex(/^[1-9]\d*$/).describe('1 for the first attempt at this event, 2, 3, ... for retries'),
  })
  .meta({ title: 'Webhook delivery headers' });

export type WebhookHeaders = z.infer<typeof webhookHeadersSchema>;
