import { createHmac } from 'node:crypto';
import { DOMAIN_EVENT_TYPES, DomainEventType, RECORD_KINDS } from '@pipeline-ledger/domain';
import { EVENT_CONTRACTS, currentSchemaVersion, schemaVersionsOf } from '../event-contracts';
import { exampleMessageOf, olderExampleMessageOf } from '../examples/example-messages';
import type { FeedMessage } from '../feed-message.schema';
import { JsonSchema, eventDataJsonSchema, eventMessageJsonSchema, feedMessageJsonSchema, toJsonSchema } from '../json-schemas';
import { API_DESCRIPTION, FEED_DESCRIPTION, WEBHOOKS_DESCRIPTION } from './asyncapi-text';
import { feedQuerySchema } from './feed-query.schema';
import { webhookHeadersSchema } from './webhook-headers.schema';

/** The AsyncAPI version: the newest @asyncapi/parser validates without a warning. */
export const ASYNCAPI_VERSION = '3.1.0';

/** The secret the webhook examples are signed with, so that a subscriber can check its verification against them. */
export const EXAMPLE_WEBHOOK_SECRET = 'example-secret';

const ref = ($ref: string) => ({ $ref });

/**
 * The AsyncAPI 3 document of the events: the SSE feed and webhooks as channels, one message per event type (its
 * current version) on each, the older versions documented beside them, every JSON Schema as a component. Built from
 * the contracts (the zod schemas and the examples the real deciders make), once per process.
 */
export function asyncApiDocument(): Record<string, unknown> {
  cached ??= buildDocument();
  return cached;
}
let cached: Record<string, unknown> | undefined;

function buildDocument(): Record<string, unknown> {
  const types = [...DOMAIN_EVENT_TYPES];
  const feedMessages = Object.fromEntries(types.map((t) => [t, ref(`#/components/messages/${t}`)]));
  const webhookMessages = Object.fromEntries(types.map((t) => [t, ref(`#/components/messages/${t}.webhook`)]));
  return {
    asyncapi: ASYNCAPI_VERSION,
    id: 'urn:pipeline-ledger:events',
    info: {
      title: 'Pipeline Ledger events',
      version: '1.0.0',
      description: API_DESCRIPTION,
      tags: RECORD_KINDS.map((name) => ({ name, description: `Events of ${name} streams (\`${name}-<uuid>\`)` })),
    },
    defaultContentType: 'application/json',
    servers: {
      api: { host: 'localhost:3000', protocol: 'http', description: 'The Pipeline Ledger api (where it runs in your deployment)' },
      subscriber: {
        host: '{subscriberHost}',
        protocol: 'https',
        description: "A webhook subscriber: the host of the URL given when the subscription was made",
        variables: { subscriberHost: { description: 'Host (and port) of the subscription URL' } },
      },
    },
    channels: {
      eventFeed: {
        address: '/events',
        title: 'Event feed (Server-Sent Events)',
        summary: 'Every event in global order, from a position, as Server-Sent Events',
        description: FEED_DESCRIPTION,
        servers: [ref('#/servers/api')],
        messages: feedMessages,
      },
      webhooks: {
        address: null,
        title: 'Webhook deliveries',
        summary: "Every event that passes a subscription's filter, POSTed to its URL",
        description: `${WEBHOOKS_DESCRIPTION}\n\nThe address is the subscription's URL.`,
        servers: [ref('#/servers/subscriber')],
        messages: webhookMessages,
      },
    },
    operations: {
      streamEvents: {
        action: 'send',
        channel: ref('#/channels/eventFeed'),
        title: 'Stream events',
        summary: 'GET /events: the api sends every event after `from` (or Last-Event-ID), then each new one, as SSE messages',
        bindings: { http: { method: 'GET', query: withoutDialect(toJsonSchema(feedQuerySchema)), bindingVersion: '0.3.0' } },
        messages: types.map((t) => ref(`#/channels/eventFeed/messages/${t}`)),
      },
      deliverWebhooks: {
        action: 'send',
        channel: ref('#/channels/webhooks'),
        title: 'Deliver webhooks',
        summary: "The api POSTs each event to a subscription's URL, one event per request, until a 2xx acknowledges it",
        bindings: { http: { method: 'POST', bindingVersion: '0.3.0' } },
        messages: types.map((t) => ref(`#/channels/webhooks/messages/${t}`)),
      },
    },
    components: {
      schemas: componentSchemas(types),
      messages: componentMessages(types),
      messageTraits: {
        webhookDelivery: {
          headers: withoutDialect(toJsonSchema(webhookHeadersSchema)),
          bindings: { http: { bindingVersion: '0.3.0' } },
        },
      },
    },
  };
}

/** FeedMessage, and for every (type, version): `<Type>.v<n>` (data) and `<Type>.v<n>.message` (envelope and data). */
function componentSchemas(types: readonly DomainEventType[]): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = { FeedMessage: withoutDialect(feedMessageJsonSchema()) };
  for (const type of types) {
    for (const version of schemaVersionsOf(type)) {
      schemas[`${type}.v${version}`] = withoutDialect(eventDataJsonSchema(type, version));
      const message = withoutDialect(eventMessageJsonSchema(type, version));
      const properties = message['properties'] as Record<string, JsonSchema>;
      schemas[`${type}.v${version}.message`] = { ...message, properties: { ...properties, data: ref(`#/components/schemas/${type}.v${version}`) } };
    }
  }
  return schemas;
}

/** `<Type>` (feed), `<Type>.webhook` (the same, with the delivery headers), and `<Type>.v<n>` for each older version. */
function componentMessages(types: readonly DomainEventType[]): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  for (const type of types) {
    const version = currentSchemaVersion(type);
    const older = schemaVersionsOf(type).filter((v) => v < version);
    const example = exampleMessageOf(type);
    const base = {
      name: type,
      title: `${type} (schema version ${version})`,
      summary: dataDescription(type, version),
      description:
        `On ${EVENT_CONTRACTS[type].record} streams (\`${EVENT_CONTRACTS[type].record}-<uuid>\`). Data: schema \`${type}.v${version}\`.` +
        (older.length ? ` Stored events of version ${older.join(', ')} are delivered upcast to version ${version} (see ${older.map((v) => `\`${type}.v${v}\``).join(', ')}).` : ''),
      contentType: 'application/json',
      payload: ref(`#/components/schemas/${type}.v${version}.message`),
      correlationId: { description: 'Everything one request caused shares it', location: '$message.payload#/correlationId' },
      tags: [{ name: EVENT_CONTRACTS[type].record }],
    };
    messages[type] = { ...base, examples: [{ name: 'example', summary: `A ${type} from the example scenarios`, payload: example }] };
    messages[`${type}.webhook`] = {
      ...base,
      traits: [ref('#/components/messageTraits/webhookDelivery')],
      examples: [{ name: 'example', summary: `A ${type} delivery, signed with the secret "${EXAMPLE_WEBHOOK_SECRET}"`, headers: exampleWebhookHeaders(example), payload: example }],
    };
    for (const v of older) {
      const olderExample = olderExampleMessageOf(type, v);
      messages[`${type}.v${v}`] = {
        name: type,
        title: `${type} (schema version ${v}, superseded by ${version})`,
        summary: dataDescription(type, v),
        description: `Version ${v}, as events were stored before version ${version}. Never delivered as such: the feed and webhooks upcast these to version ${version}. Documented for data you kept from before.`,
        contentType: 'application/json',
        payload: ref(`#/components/schemas/${type}.v${v}.message`),
        tags: [{ name: EVENT_CONTRACTS[type].record }],
        ...(olderExample ? { examples: [{ name: 'example', summary: `A stored ${type} of version ${v}`, payload: olderExample }] } : {}),
      };
    }
  }
  return messages;
}

/** The headers a delivery of this message carries (subscription and attempt made up; the signature real). */
export function exampleWebhookHeaders(message: FeedMessage): Record<string, string> {
  const body = JSON.stringify(message);
  return {
    'X-Pipeline-Signature': `sha256=${createHmac('sha256', EXAMPLE_WEBHOOK_SECRET).update(body).digest('hex')}`,
    'X-Pipeline-Event-Id': message.eventId,
    'X-Pipeline-Event-Type': message.type,
    'X-Pipeline-Position': message.position,
    'X-Pipeline-Subscription': '3b4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    'X-Pipeline-Delivery-Attempt': '1',
  };
}

function dataDescription(type: DomainEventType, version: number): string {
  return String(eventDataJsonSchema(type, version)['description'] ?? type);
}

/** Embedded in AsyncAPI (whose schema format is a superset of draft-07), a schema goes without `$schema` and `$id`. */
function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}
