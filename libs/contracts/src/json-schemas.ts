import { z } from 'zod';
import { DOMAIN_EVENT_TYPES, DomainEventType } from '@pipeline-ledger/domain';
import { dataSchemaOf, schemaVersionsOf } from './event-contracts';
import { feedMessageSchema, feedMessageSchemaFor } from './feed-message.schema';

/** A JSON Schema document (draft 2020-12). */
export type JsonSchema = Record<string, unknown>;

/** Every (type, version) JSON Schema of event data: type -> version -> schema. */
export type EventJsonSchemas = Record<string, Record<string, JsonSchema>>;

/** The published JSON Schemas are draft 2020-12, generated from the zod schemas (zod 4's toJSONSchema). */
export function toJsonSchema(schema: z.ZodType, id?: string): JsonSchema {
  const { $schema, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) as JsonSchema;
  return id === undefined ? { $schema, ...rest } : { $schema, $id: id, ...rest };
}

/** The id of a published schema: `urn:pipeline-ledger:events:LeadCreated:v1` (data) or `...:LeadCreated:v1:message`. */
export function schemaId(type: DomainEventType, version: number, part: 'data' | 'message' = 'data'): string {
  return `urn:pipeline-ledger:events:${type}:v${version}${part === 'message' ? ':message' : ''}`;
}

/** The JSON Schema of one version of an event type's data. */
export function eventDataJsonSchema(type: DomainEventType, version: number): JsonSchema {
  const schema = dataSchemaOf(type, version);
  if (!schema) throw new Error(`${type} has no schema version ${version}`);
  return toJsonSchema(schema, schemaId(type, version));
}

/** The JSON Schema of a whole message (envelope and data) of one version of an event type. */
export function eventMessageJsonSchema(type: DomainEventType, version: number): JsonSchema {
  return toJsonSchema(feedMessageSchemaFor(type, version), schemaId(type, version, 'message'));
}

/** The JSON Schema of the envelope, whatever the type. */
export function feedMessageJsonSchema(): JsonSchema {
  return toJsonSchema(feedMessageSchema, 'urn:pipeline-ledger:events:FeedMessage');
}

/** Every (type, version) data schema there has been: what schemas.snapshot.json holds. */
export function allEventDataJsonSchemas(): EventJsonSchemas {
  const all: EventJsonSchemas = {};
  for (const type of DOMAIN_EVENT_TYPES) {
    all[type] = {};
    for (const version of schemaVersionsOf(type)) all[type][String(version)] = eventDataJsonSchema(type, version);
  }
  return all;
}
