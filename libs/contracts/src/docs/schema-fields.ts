import type { JsonSchema } from '../json-schemas';

/** One row of a field table: a field (nested ones by path), its type in words, whether it is required, what it means. */
export interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

/** The fields of an object schema as rows, nested objects' fields after their parent's row, paths joined by dots. */
export function fieldRows(schema: JsonSchema, prefix = ''): FieldRow[] {
  const properties = (objectBranch(schema)?.['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((objectBranch(schema)?.['required'] ?? []) as string[]);
  const rows: FieldRow[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    rows.push({ path, type: typeInWords(property), required: required.has(name), description: String(property['description'] ?? '') });
    if (objectBranch(property)?.['properties']) rows.push(...fieldRows(property, path));
  }
  return rows;
}

/** A schema's type as a reader wants it: "UUID", "non-blank string or null", "one of `call`, `email`", "integer, 0 to 100". */
export function typeInWords(schema: JsonSchema): string {
  const alternatives = schema['anyOf'] as JsonSchema[] | undefined;
  if (alternatives) return joinNullable(alternatives.filter((a) => a['type'] !== 'null').map(typeInWords), alternatives.some((a) => a['type'] === 'null'));
  const type = schema['type'];
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null');
    return joinNullable(nonNull.map((t) => typeInWords({ ...schema, type: t })), nonNull.length < type.length);
  }
  if (schema['const'] !== undefined) return `\`${JSON.stringify(schema['const'])}\``;
  if (Array.isArray(schema['enum'])) return `one of ${(schema['enum'] as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
  switch (type) {
    case 'string':
      return stringInWords(schema);
    case 'integer':
    case 'number':
      return numberInWords(String(type), schema['minimum'] as number | undefined, schema['maximum'] as number | undefined);
    case 'object': {
      const min = schema['minProperties'] as number | undefined;
      return min ? `object (at least ${min} field${min === 1 ? '' : 's'})` : 'object';
    }
    default:
      return String(type ?? 'any');
  }
}

const FORMATS: Record<string, string> = { uuid: 'UUID', 'date-time': 'date-time', date: 'date (YYYY-MM-DD)' };

function stringInWords(schema: JsonSchema): string {
  const format = schema['format'] as string | undefined;
  if (format) return FORMATS[format] ?? `string (${format})`;
  const pattern = schema['pattern'] as string | undefined;
  if (pattern === '\\S') return 'non-blank string';
  if (pattern) return pattern.length <= 40 ? `string matching \`${pattern}\`` : 'string (its pattern is in the JSON Schema)';
  return 'string';
}

function numberInWords(type: string, minimum: number | undefined, maximum: number | undefined): string {
  const max = maximum === Number.MAX_SAFE_INTEGER ? undefined : maximum;
  if (minimum !== undefined && max !== undefined) return `${type}, ${minimum} to ${max}`;
  if (minimum !== undefined) return `${type} >= ${minimum}`;
  return type;
}

function joinNullable(types: string[], nullable: boolean): string {
  return `${types.join(' or ')}${nullable ? ' or null' : ''}`;
}

function objectBranch(schema: JsonSchema): JsonSchema | undefined {
  if (schema['type'] === 'object') return schema;
  return (schema['anyOf'] as JsonSchema[] | undefined)?.find((a) => a['type'] === 'object');
}
