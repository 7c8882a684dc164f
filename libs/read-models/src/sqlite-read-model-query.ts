import { Filter, FindQuery, SumQuery } from './read-model-store.port';
import { assertFieldName, checkSumFields, nonNegativeInteger } from './read-model-validation';
import { fieldSql } from './sqlite-read-model-schema';

/** What better-sqlite3 binds. Booleans are not among them: they are bound as 1 and 0, as json_extract reads them. */
export type SqlValue = string | number | bigint | null;

export interface SqlText {
  sql: string;
  params: SqlValue[];
}

/**
 * The WHERE clause of a find or sum: every value a bound parameter, field names (validated) in the SQL text so the
 * expressions match the expression indexes. Semantics, as the port says and MongoDB does:
 * - eq null matches a missing field or a null; ne v matches everything but v, missing fields included;
 * - gt/gte/lt/lte compare numbers with numbers and strings with strings only (a string is never "greater than 5");
 *   a null bound is refused;
 * - in matches any of the values (null in the list matches missing); an empty list matches nothing;
 * - contains: case-insensitive substring on any of the fields; an empty string matches everything.
 */
export function whereClause(filters: readonly Filter[] | undefined): SqlText {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  for (const filter of filters ?? []) {
    const condition = filterCondition(filter, params);
    if (condition !== null) conditions.push(condition);
  }
  return { sql: conditions.length ? conditions.join(' AND ') : '1', params };
}

function filterCondition(filter: Filter, params: SqlValue[]): string | null {
  if (filter === null || typeof filter !== 'object') throw new TypeError('a filter must be an object');
  if (filter.op === 'contains') return containsCondition(filter.fields, filter.value, params);
  const x = fieldSql(filter.field);
  switch (filter.op) {
    case 'eq':
      if (filter.value === null) return `${x} IS NULL`;
      params.push(sqlValue(filter.value));
      return `${x} = ?`;
    case 'ne':
      if (filter.value === null) return `${x} IS NOT NULL`;
      params.push(sqlValue(filter.value));
      return `${x} IS NOT ?`; // IS NOT: true for a missing field (NULL) too
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return rangeCondition(x, filter.op, filter.value, params);
    case 'in':
      return inCondition(x, filter.value, params);
    default:
      throw new TypeError(`unknown filter op ${JSON.stringify((filter as { op: unknown }).op)}`);
  }
}

const RANGE_OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * SQLite orders NULL < numbers < text, so `x > 5` alone would match every string. The second bound keeps the range
 * inside one type, and being a bound on the same expression it narrows the index range rather than filtering
 * afterwards: '' is the smallest text, so `x < ''` means "is a number" and `x >= ''` "is a string". NULLs never
 * satisfy a comparison.
 */
function rangeCondition(x: string, op: keyof typeof RANGE_OPERATORS, value: unknown, params: SqlValue[]): string {
  if (value === null) throw new TypeError(`filter op ${op} needs a number or a string, got null`);
  const bound = sqlValue(value);
  params.push(bound);
  const comparison = `${x} ${RANGE_OPERATORS[op]} ?`;
  if (typeof bound === 'string') return op === 'lt' || op === 'lte' ? `${comparison} AND ${x} >= ''` : comparison;
  return op === 'gt' || op === 'gte' ? `${comparison} AND ${x} < ''` : comparison;
}

/** One JSON array parameter whatever the list's length: the SQL text (and the cached statement) stays the same. */
function inCondition(x: string, values: unknown, params: SqlValue[]): string {
  if (!Array.isArray(values)) throw new TypeError('filter op in needs an array of values');
  const present = values.filter((v) => v !== null).map(sqlValue);
  const withNull = present.length < values.length;
  const parts: string[] = [];
  if (present.length) {
    params.push(JSON.stringify(present));
    parts.push(`${x} IN (SELECT value FROM json_each(?))`);
  }
  if (withNull) parts.push(`${x} IS NULL`);
  if (!parts.length) return '0';
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

/**
 * LIKE with the pattern's own %, _ and \ escaped. SQLite's LIKE already ignores case for ASCII letters, which is
 * the folding lower() would add, so the column is not lowered (measured 30 % cheaper than lower(x) LIKE ...).
 * Letters outside ASCII match case-sensitively: "é" does not find "É".
 */
function containsCondition(fields: unknown, value: unknown, params: SqlValue[]): string | null {
  if (!Array.isArray(fields) || fields.length === 0) throw new TypeError('filter op contains needs a non-empty list of fields');
  if (typeof value !== 'string') throw new TypeError('filter op contains needs a string');
  if (value === '') return null;
  const pattern = `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const parts = fields.map((field: unknown) => {
    assertFieldName(field);
    params.push(pattern);
    return `${fieldSql(field)} LIKE ? ESCAPE '\\'`;
  });
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

export function sqlValue(value: unknown): SqlValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || value === null) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`filter values must be strings, finite numbers, booleans or null, got ${String(value)}`);
}

export interface FindSql {
  /** Selects json(doc), LIMIT and OFFSET bound last. */
  select: SqlText;
  count: SqlText;
}

/** Sorted by the given fields, then by id, so that pages never overlap nor skip between equal sort keys. */
export function findSql(table: string, query: FindQuery): FindSql {
  const limit = nonNegativeInteger('limit', query.limit);
  const offset = nonNegativeInteger('offset', query.offset ?? 0);
  const where = whereClause(query.filters);
  const order: string[] = [];
  let byId = false;
  for (const sort of query.sort ?? []) {
    if (sort.direction !== 'asc' && sort.direction !== 'desc') throw new TypeError(`sort direction must be asc or desc, got ${String(sort.direction)}`);
    order.push(`${fieldSql(sort.field)} ${sort.direction === 'asc' ? 'ASC' : 'DESC'}`);
    byId ||= sort.field === 'id';
  }
  if (!byId) order.push('id ASC');
  return {
    select: {
      sql: `SELECT json(doc) FROM ${table} WHERE ${where.sql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
      params: [...where.params, limit, offset],
    },
    count: { sql: `SELECT COUNT(*) FROM ${table} WHERE ${where.sql}`, params: where.params },
  };
}

/**
 * Groups by the same expressions the indexes have, so an index on a grouped field can hand the rows over in group
 * order instead of SQLite sorting them (measured 190 -> 115 ms over 100,000 counters), and a missing field groups
 * with null. Each group's value is selected as JSON text (`doc -> '$.f'`), so that a boolean comes back a boolean.
 * Columns: the group fields' JSON, then each sum, then the document count.
 */
export function sumSql(table: string, query: SumQuery): SqlText {
  const { groupBy, sum } = checkSumFields(query.groupBy, query.sum);
  const where = whereClause(query.filters);
  const columns = [
    ...groupBy.map((f) => (f === 'id' ? 'json_quote(id)' : `doc -> '$.${f}'`)),
    ...sum.map((f) => `COALESCE(SUM(${fieldSql(f)}), 0)`),
    'COUNT(*)',
  ];
  const group = groupBy.length ? ` GROUP BY ${groupBy.map(fieldSql).join(', ')}` : '';
  return { sql: `SELECT ${columns.join(', ')} FROM ${table} WHERE ${where.sql}${group}`, params: where.params };
}
