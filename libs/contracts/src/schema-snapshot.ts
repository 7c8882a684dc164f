import { EventJsonSchemas, JsonSchema } from './json-schemas';

/**
 * The versioning rule, checked against schemas.snapshot.json (every (type, version) JSON Schema ever published):
 * a published (type, version) never changes and never disappears; a new one is added by `npm run contracts:snapshot`.
 * Annotations (title, description, examples) may be reworded: that is recorded, but is not a change of the contract.
 */

export type SnapshotProblemKind = 'changed' | 'removed' | 'added' | 'reworded';

export interface SnapshotProblem {
  kind: SnapshotProblemKind;
  type: string;
  version: string;
  message: string;
}

export interface SchemaSnapshot {
  comment: string;
  schemas: EventJsonSchemas;
}

export const SNAPSHOT_COMMENT =
  'Every (event type, schema version) JSON Schema ever published. Written by `npm run contracts:snapshot`, which only ' +
  'adds new versions: a published version never changes (libs/contracts/src/schema-snapshot.spec.ts).';

/** What differs between the snapshot and the schemas the code publishes now, worst first. */
export function compareWithSnapshot(snapshot: EventJsonSchemas, current: EventJsonSchemas): SnapshotProblem[] {
  const problems: SnapshotProblem[] = [];
  for (const [type, versions] of Object.entries(snapshot)) {
    for (const [version, published] of Object.entries(versions)) {
      const now = current[type]?.[version];
      if (now === undefined) {
        problems.push({
          kind: 'removed',
          type,
          version,
          message: `${type} v${version} disappeared: a published schema version must stay (stored events and subscribers depend on it)`,
        });
      } else if (!sameJson(withoutAnnotations(published), withoutAnnotations(now))) {
        problems.push({
          kind: 'changed',
          type,
          version,
          message:
            `${type} v${version} changed in place: bump the version. Add v${Number(version) + 1} to EVENT_CONTRACTS, set ` +
            `EVENT_SCHEMA_VERSIONS.${type} to it, write the upcaster from v${version}, and keep v${version} as it was`,
        });
      } else if (!sameJson(published, now)) {
        problems.push({ kind: 'reworded', type, version, message: `${type} v${version}: only its descriptions changed: run npm run contracts:snapshot to record them` });
      }
    }
  }
  for (const [type, versions] of Object.entries(current)) {
    for (const version of Object.keys(versions)) {
      if (snapshot[type]?.[version] === undefined) {
        problems.push({ kind: 'added', type, version, message: `${type} v${version} is new and not in the snapshot yet: run npm run contracts:snapshot` });
      }
    }
  }
  const order: SnapshotProblemKind[] = ['changed', 'removed', 'added', 'reworded'];
  return problems.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/**
 * The snapshot with what may be recorded: new versions added, rewordings taken. Changes in place and removals are
 * refused (and the snapshot is left as it was for them).
 */
export function updateSnapshot(snapshot: EventJsonSchemas, current: EventJsonSchemas): { schemas: EventJsonSchemas; recorded: SnapshotProblem[]; refused: SnapshotProblem[] } {
  const problems = compareWithSnapshot(snapshot, current);
  const refused = problems.filter((p) => p.kind === 'changed' || p.kind === 'removed');
  const recorded = problems.filter((p) => p.kind === 'added' || p.kind === 'reworded');
  const schemas: EventJsonSchemas = JSON.parse(JSON.stringify(snapshot));
  for (const { type, version } of recorded) (schemas[type] ??= {})[version] = current[type][version];
  return { schemas: sortedSchemas(schemas), recorded, refused };
}

function sortedSchemas(schemas: EventJsonSchemas): EventJsonSchemas {
  const sorted: EventJsonSchemas = {};
  for (const type of Object.keys(schemas).sort()) {
    sorted[type] = {};
    for (const version of Object.keys(schemas[type]).sort((a, b) => Number(a) - Number(b))) sorted[type][version] = schemas[type][version];
  }
  return sorted;
}

const ANNOTATIONS = new Set(['title', 'description', 'examples', '$comment']);
/** Keywords whose value is a map of names to schemas, a list of schemas, or one schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SCHEMAS = new Set(['additionalProperties', 'items', 'not', 'propertyNames', 'contains', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems']);

/** A schema without its annotations (at schema positions only: a property named "description" stays). */
export function withoutAnnotations(schema: JsonSchema): JsonSchema {
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      result[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, isObject(sub) ? withoutAnnotations(sub) : sub]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      result[key] = value.map((sub: unknown) => (isObject(sub) ? withoutAnnotations(sub) : sub));
    } else if (SCHEMAS.has(key) && isObject(value)) {
      result[key] = withoutAnnotations(value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

/** Equal as JSON, whatever the order of object keys (arrays keep their order: `required` and `enum` are compared as written). */
function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
