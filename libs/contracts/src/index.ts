/**
 * @pipeline-ledger/contracts: the published contracts of the domain events, for downstream services. Every event
 * type's data in every schema version (zod, and JSON Schema draft 2020-12 generated from it), the envelope subscribers
 * receive, the AsyncAPI document of the SSE feed and webhooks, and the upcasters that turn stored events of older
 * versions into the current one.
 */
export * from './event-contracts';
export * from './feed-message.schema';
export * from './json-schemas';
export type * from './published-event.types';
export { UnreadableSchemaVersionError, createUpcaster, upcast } from './upcasting/upcast';
export type { UpcastStep, UpcastSteps } from './upcasting/upcasters';
export { ASYNCAPI_VERSION, EXAMPLE_WEBHOOK_SECRET, asyncApiDocument } from './asyncapi/asyncapi-document';
export { feedFromSchema } from './asyncapi/feed-query.schema';
export { webhookHeadersSchema } from './asyncapi/webhook-headers.schema';
export type { WebhookHeaders } from './asyncapi/webhook-headers.schema';
