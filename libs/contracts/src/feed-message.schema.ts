import { z } from 'zod';
import { DomainEventType, RECORD_KINDS, RecordKind } from '@pipeline-ledger/domain';
import { EVENT_CONTRACTS, dataSchemaOf } from './event-contracts';
import { instant } from './schemas/contract-fields';

/**
 * The envelope every subscriber receives, over the SSE feed (the `data:` line) and in webhook deliveries (the body)
 * alike: the event id to deduplicate, the global position to resume from, the stable type and schema version, who
 * and when, and the data. The store's own bookkeeping in the metadata (request hashes, idempotency keys, the hash
 * chain) stays inside.
 */

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const streamIdOf = (kinds: readonly RecordKind[]) =>
  z
    .string()
    .regex(new RegExp(`^(${kinds.join('|')})-${UUID}$`))
    .describe(`The stream: the record the event belongs to, \`<kind>-<id>\` (${kinds.map((k) => `\`${k}-<uuid>\``).join(', ')})`);

const envelopeShape = {
  eventId: z.uuid().describe('The event id (UUID): delivery is at least once, so deduplicate on it'),
  position: z
    .string()
    .regex(/^\d{1,39}$/)
    .describe(
      'The global position, a decimal string: events arrive in its order; resume after the last one you have. Compare positions as big integers: up to 64 bits on the embedded store, up to 128 on EventStoreDB (its commit and prepare positions in one number)',
    ),
  streamId: streamIdOf(RECORD_KINDS),
  type: z.string().describe('The event type: a stable name, e.g. LeadConverted'),
  schemaVersion: z.int().min(1).describe("The version of the data's schema; always the type's current version (older stored ones are upcast)"),
  occurredAt: instant('When it happened in business terms (back-dated entries and imports may set it in the past)'),
  recordedAt: instant('When the store recorded it'),
  actor: z.string().min(1).describe('Who caused it: the authenticated principal of the request (user:<sub> for a token, key:<id> for an API key)'),
  correlationId: z.string().min(1).describe('One id for everything one request caused, across streams (a conversion: lead, account, contact, opportunity)'),
  causationId: z.string().nullable().describe('The id of the command or event that caused it; null when nothing did'),
  data: z.record(z.string(), z.unknown()).describe('The event data: see the schema of its type and schema version. Personal fields (names, email, phone) read "[redacted]" for a subscriber without the pii grant'),
};

export const feedMessageSchema = z
  .strictObject(envelopeShape)
  .meta({ title: 'FeedMessage', description: 'One event as downstream services receive it: the envelope and the data.' });

/** One event as downstream services receive it, over the SSE feed and in webhook deliveries alike. */
export type FeedMessage = z.infer<typeof feedMessageSchema>;

/** The envelope of one event type in one version: its type and version fixed, its stream's kind, its data's schema. */
export function feedMessageSchemaFor(type: DomainEventType, version: number): z.ZodType {
  const data = dataSchemaOf(type, version);
  if (!data) throw new Error(`${type} has no schema version ${version}`);
  return z
    .strictObject({
      ...envelopeShape,
      streamId: streamIdOf([EVENT_CONTRACTS[type].record]),
      type: z.literal(type).describe('The event type'),
      schemaVersion: z.literal(version).describe("The version of the data's schema"),
      data,
    })
    .meta({ title: `${type} v${version} (FeedMessage)`, description: `A ${type} event of schema version ${version}, as subscribers receive it.` });
}
