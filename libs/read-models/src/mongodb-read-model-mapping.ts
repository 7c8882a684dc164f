import { AnyBulkWriteOperation, Document, IndexDescription, Long } from 'mongodb';
import {
  CounterIncrement,
  Filter,
  FindQuery,
  ProjectionGeneration,
  ProjectionState,
  ProjectionStatus,
  ReadModelBatch,
  ReadModelDocument,
  SumQuery,
  SumRow,
} from './read-model-store.port';
import {
  IndexedFields,
  assertCollectionName,
  assertFieldName,
  checkId,
  checkIncrement,
  checkSumFields,
  nonNegativeInteger,
  generationCollectionName,
} from './read-model-validation';

/**
 * The pure half of the MongoDB read-model store: names, the checkpoint codec, the Int64 handling of numbers, and the
 * queries, pipelines and bulk operations built from the port's vocabulary. Nothing here talks to a server, so all of
 * it is unit-tested (mongodb-read-model-mapping.spec.ts); mongodb.read-model-store.ts runs what this builds.
 *
 * Where MongoDB's own rules differ from the SQLite adapter's, on inputs the port leaves open:
 * - booleans are booleans: SQLite's json_extract reads true as 1, so there `eq true` also matches the number 1, a range
 *   on numbers takes booleans in, and a sort puts booleans among the numbers; in MongoDB they are a type of their own;
 * - a field holding an array is matched element by element by MongoDB (`eq 'x'` matches ['x', 'y']); SQLite compares
 *   the array's JSON text. Filtered and sorted fields are scalars in every projection;
 * - contains matches strings only (SQLite's LIKE also matches the decimal text of a number), and ignores case for
 *   every letter (MongoDB's regular expressions run in UTF mode, so "é" finds "É"; SQLite folds ASCII letters only).
 *   Neither folds accents: "e" finds no "é" in either;
 * - sums add numbers only (SQLite's SUM also reads a numeric string, and true as 1).
 */

/** Projection bookkeeping: one document per projection (StoredProjection). */
export const PROJECTIONS_COLLECTION = 'rm_projections';
/** The projector lease: at most one document, LEASE_ID. */
export const LEASE_COLLECTION = 'rm_lease';
export const LEASE_ID = 'projector';

/**
 * The MongoDB collection holding one generation of a logical collection: `rm_<collection>_g<generation>`. Names are
 * at most 64 characters and the generation is always the last part, so no two generations or collections share a
 * name, and no bookkeeping collection (none ends in `_g<digits>`) is ever one of them. At most 85 characters: far
 * inside MongoDB's 255 bytes for database and collection name together.
 */
export const physicalCollection = generationCollectionName;

/** A top-level field's path in the stored documents: a document's id is stored as _id (the primary key). */
export function fieldPath(field: string): string {
  assertFieldName(field);
  return field === 'id' ? '_id' : field;
}

/* ---------- checkpoints ---------- */

export const CHECKPOINT_HEX_DIGITS = 32;
const CHECKPOINT_LIMIT = 1n << BigInt(CHECKPOINT_HEX_DIGITS * 4);
const STORED_CHECKPOINT = /^[0-9a-f]{32}$/;

/**
 * A checkpoint as stored: 32 lowercase hex digits, zero-padded, so that string order is numeric order (an update can
 * guard on `checkpoint < new`) and every value up to 2^128 - 1 is exact (the EventStoreDB adapter's positions are
 * commit * 2^64 + prepare). Never a double.
 */
export function encodeCheckpoint(checkpoint: bigint): string {
  if (typeof checkpoint !== 'bigint') throw new TypeError('a checkpoint must be a bigint');
  if (checkpoint < 0n || checkpoint >= CHECKPOINT_LIMIT) throw new RangeError(`checkpoint ${checkpoint} is outside 0 .. 2^128 - 1`);
  return checkpoint.toString(16).padStart(CHECKPOINT_HEX_DIGITS, '0');
}

export function decodeCheckpoint(stored: unknown): bigint | null {
  if (stored === null || stored === undefined) return null;
  if (typeof stored !== 'string' || !STORED_CHECKPOINT.test(stored)) throw new Error(`corrupt stored checkpoint ${JSON.stringify(stored)}`);
  return BigInt(`0x${stored}`);
}

/* ---------- numbers and documents ---------- */

/**
 * A value as stored. What JSON.stringify would keep, as SQLite's adapter keeps it (undefined properties dropped, a
 * Date as its ISO string, NaN and Infinity as null), with one difference: every safe integer becomes an Int64 (a
 * bson Long), so that $inc and $sum on money stay exact integers instead of turning into doubles past 2^31. Other
 * numbers (fractions, integers beyond 2^53 that JavaScript already rounded) stay doubles.
 */
export function toStoredValue(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) return null;
      return Number.isSafeInteger(value) ? Long.fromNumber(value) : value;
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      throw new TypeError('a read-model document cannot hold a bigint (JSON has none): convert it to a string or a number');
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) return value.map((item) => (isOmitted(item) ? null : toStoredValue(item)));
      const json = value as { toJSON?: () => unknown };
      if (typeof json.toJSON === 'function') return toStoredValue(json.toJSON());
      const stored: Document = {};
      for (const [key, item] of Object.entries(value)) if (!isOmitted(item)) stored[key] = toStoredValue(item);
      return stored;
    }
    default:
      return null; // undefined, a function or a symbol in an array: JSON's null
  }
}

function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** An entity or counter document as stored: keyed by the port's id. */
export interface StoredDocument extends Document {
  _id: string;
}

/** An entity document as stored: its id as _id (first), every other field as toStoredValue has it. */
export function toStoredDocument(document: ReadModelDocument): StoredDocument {
  const stored: StoredDocument = { _id: document.id };
  for (const [key, value] of Object.entries(document)) {
    if (key === 'id' || isOmitted(value)) continue;
    if (key === '_id') throw new TypeError(`document ${document.id}: _id is reserved (the store keeps the id there)`);
    stored[key] = toStoredValue(value);
  }
  return stored;
}

/**
 * A value as read back (documents are read with promoteLongs off, so every Int64 arrives a Long): Longs become plain
 * numbers, and one beyond Number.MAX_SAFE_INTEGER is an error, not a silently rounded number.
 */
export function fromStoredValue(value: unknown, where: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Long.isLong(value)) return safeNumber(value, where);
  if (Array.isArray(value)) return value.map((item) => fromStoredValue(item, where));
  if (!isPlainObject(value)) return value;
  const plain: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) plain[key] = fromStoredValue(item, where);
  return plain;
}

/** An entity or counter document as the port has it: `id` first, then the stored fields in their order. */
export function fromStoredDocument(stored: Document): ReadModelDocument {
  const { _id: id, ...fields } = stored;
  if (typeof id !== 'string') throw new Error(`stored document with a non-string _id ${JSON.stringify(id)}`);
  return { id, ...(fromStoredValue(fields, `document ${id}`) as Record<string, unknown>) };
}

const MAX_SAFE = Long.fromNumber(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = Long.fromNumber(Number.MIN_SAFE_INTEGER);

function safeNumber(value: Long, where: string): number {
  if (value.greaterThan(MAX_SAFE) || value.lessThan(MIN_SAFE)) {
    throw new RangeError(`${where}: the integer ${value.toString()} is beyond Number.MAX_SAFE_INTEGER and cannot be read as a number without losing precision`);
  }
  return value.toNumber();
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/* ---------- queries ---------- */

/**
 * The query for the port's filters, all of which must hold ($and). Semantics, matching the SQLite adapter:
 * - eq null matches a missing field or a null; ne v matches everything but v, missing fields included;
 * - gt/gte/lt/lte compare numbers with numbers and strings with strings only: MongoDB's comparison operators never
 *   cross types (type bracketing), as SQLite's second bound ensures there; a null bound is refused;
 * - in matches any of the values (null in the list matches missing); an empty list matches nothing;
 * - contains: a case-insensitive regular expression on any of the fields, the text escaped so that every character
 *   is taken literally; an empty string matches everything.
 */
export function mongoFilter(filters: readonly Filter[] | undefined): Document {
  const conditions: Document[] = [];
  for (const filter of filters ?? []) {
    const condition = filterCondition(filter);
    if (condition !== null) conditions.push(condition);
  }
  if (conditions.length === 0) return {};
  return conditions.length === 1 ? conditions[0] : { $and: conditions };
}

const COMPARISONS = { eq: '$eq', ne: '$ne', gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' } as const;

function filterCondition(filter: Filter): Document | null {
  if (filter === null || typeof filter !== 'object') throw new TypeError('a filter must be an object');
  if (filter.op === 'contains') return containsCondition(filter.fields, filter.value);
  const path = fieldPath(filter.field);
  switch (filter.op) {
    case 'eq':
    case 'ne':
      return { [path]: { [COMPARISONS[filter.op]]: filterValue(filter.value) } };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (filter.value === null) throw new TypeError(`filter op ${filter.op} needs a number or a string, got null`);
      return { [path]: { [COMPARISONS[filter.op]]: filterValue(filter.value) } };
    case 'in':
      if (!Array.isArray(filter.value)) throw new TypeError('filter op in needs an array of values');
      return { [path]: { $in: filter.value.map(filterValue) } };
    default:
      throw new TypeError(`unknown filter op ${JSON.stringify((filter as { op: unknown }).op)}`);
  }
}

function containsCondition(fields: unknown, value: unknown): Document | null {
  if (!Array.isArray(fields) || fields.length === 0) throw new TypeError('filter op contains needs a non-empty list of fields');
  if (typeof value !== 'string') throw new TypeError('filter op contains needs a string');
  const paths = fields.map((field: unknown) => {
    assertFieldName(field);
    return fieldPath(field);
  });
  if (value === '') return null;
  const regex = { $regex: escapeRegex(value), $options: 'i' };
  const parts = paths.map((path) => ({ [path]: regex }));
  return parts.length === 1 ? parts[0] : { $or: parts };
}

/**
 * Text taken literally in a (PCRE) regular expression: each metacharacter behind a backslash, and NUL, which MongoDB
 * refuses inside a pattern, as the escape \x00.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&').replace(/\0/g, '\\x00');
}

/** Filter values go to the server as they are: numbers compare by value whatever their BSON type (int, long, double). */
function filterValue(value: unknown): string | number | boolean | null {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`filter values must be strings, finite numbers, booleans or null, got ${String(value)}`);
}

/**
 * Sorted by the given fields, then by id ascending (unless id is among them), as SQLite does: pages never overlap nor
 * skip between equal sort keys. MongoDB, like SQLite, puts missing and null first in an ascending sort (and treats
 * them as equal, so the id decides between them), then numbers, then strings. A field given twice keeps its first
 * direction (the second could not change the order).
 */
export function mongoSort(sort: FindQuery['sort']): Record<string, 1 | -1> {
  const keys: Record<string, 1 | -1> = {};
  for (const { field, direction } of sort ?? []) {
    if (direction !== 'asc' && direction !== 'desc') throw new TypeError(`sort direction must be asc or desc, got ${String(direction)}`);
    const path = fieldPath(field);
    if (!Object.hasOwn(keys, path)) keys[path] = direction === 'asc' ? 1 : -1;
  }
  if (!Object.hasOwn(keys, '_id')) keys._id = 1;
  return keys;
}

export interface MongoFind {
  filter: Document;
  sort: Record<string, 1 | -1>;
  skip: number;
  /** 0 means no documents at all (not MongoDB's "no limit"): the caller then only counts. */
  limit: number;
}

export function mongoFind(query: FindQuery): MongoFind {
  const limit = nonNegativeInteger('limit', query.limit);
  const skip = nonNegativeInteger('offset', query.offset ?? 0);
  return { filter: mongoFilter(query.filters), sort: mongoSort(query.sort), skip, limit };
}

/**
 * The indexes of one collection: one per indexedFields entry, its fields in order, ascending, with _id appended
 * (unless it is among them). The _id suffix lets an ascending sort on the entry's fields with the id tie-breaker
 * (what every find sorts by) be read in index order, instead of being sorted after the filter; a descending sort
 * with the ascending id tie-breaker still is (MongoDB reads an index only forward or wholly backward). An entry
 * that is just id is the primary key, which exists already.
 */
export function indexDescriptions(entries: readonly IndexedFields[]): IndexDescription[] {
  const indexes: IndexDescription[] = [];
  for (const entry of entries) {
    const paths = (typeof entry === 'string' ? [entry] : entry).map(fieldPath);
    if (paths.length === 1 && paths[0] === '_id') continue;
    const key: Record<string, 1> = {};
    for (const path of [...paths, '_id']) key[path] = 1;
    indexes.push({ key });
  }
  return indexes;
}

/**
 * The aggregation of a sum: the filters, then one group per distinct combination of the groupBy values (a missing
 * field grouped with null, as SQLite does: without $ifNull MongoDB would make "missing" a group of its own), each
 * summed field, and the number of documents. Groups come back in group order. $sum adds Int64s exactly into an Int64
 * and ignores what is not a number; a field no document has sums to 0.
 */
export function sumPipeline(query: SumQuery): Document[] {
  const { groupBy, sum } = checkSumFields(query.groupBy, query.sum);
  const pipeline: Document[] = [];
  const match = mongoFilter(query.filters);
  if (Object.keys(match).length > 0) pipeline.push({ $match: match });
  const group: Document = {
    _id: groupBy.length ? Object.fromEntries(groupBy.map((field) => [field, { $ifNull: [`$${fieldPath(field)}`, null] }])) : null,
  };
  for (const field of sum) group[field] = { $sum: `$${fieldPath(field)}` };
  group.documents = { $sum: 1 };
  pipeline.push({ $group: group });
  if (groupBy.length) pipeline.push({ $sort: { _id: 1 } });
  return pipeline;
}

/** The port's rows from the aggregation's: the group values, the sums and the count, as plain numbers. */
export function sumRows(results: readonly Document[], query: SumQuery): SumRow[] {
  return results.map((result) => {
    const row = { documents: fromStoredValue(result.documents, 'sum documents') } as SumRow;
    for (const field of query.groupBy) row[field] = fromStoredValue((result._id as Document)[field] ?? null, `group ${field}`) as SumRow[string];
    for (const field of query.sum) row[field] = fromStoredValue(result[field], `sum of ${field}`) as number;
    return row;
  });
}

/* ---------- batches ---------- */

/**
 * The bulk operations of a batch, per physical collection, in the order the SQLite adapter applies them to a table:
 * the upserts (whole replacements, in batch order, so a later one with the same id wins), then the deletes, then
 * the increments. Increments of one counter are added up first (the first increment's group is the one written);
 * each becomes one upsert that creates the counter with its group fields ($setOnInsert) and adds ($inc) to it.
 * `physical` names the collection of a logical one, throwing for a collection the generation does not have:
 * everything is checked before anything is written.
 */
export function batchOperations(batch: ReadModelBatch, physical: (collection: string) => string): Map<string, AnyBulkWriteOperation<StoredDocument>[]> {
  const upserts = new Map<string, AnyBulkWriteOperation<StoredDocument>[]>();
  const deletes = new Map<string, AnyBulkWriteOperation<StoredDocument>[]>();
  const increments = new Map<string, Map<string, CounterIncrement>>();
  const order = new Set<string>();
  const touch = (collection: string) => {
    const name = physical(collection);
    order.add(name);
    return name;
  };

  for (const { collection, document } of batch.upserts) {
    if (document === null || typeof document !== 'object' || typeof document.id !== 'string' || document.id === '') {
      throw new TypeError(`an upsert into ${collection} needs a document with a non-empty string id`);
    }
    push(upserts, touch(collection), { replaceOne: { filter: { _id: document.id }, replacement: toStoredDocument(document), upsert: true } });
  }
  for (const { collection, id } of batch.deletes) push(deletes, touch(collection), { deleteOne: { filter: { _id: checkId(collection, id) } } });
  for (const increment of batch.increments) {
    const { id, group, add } = checkIncrement(increment);
    const name = touch(increment.collection);
    const counters = increments.get(name) ?? new Map<string, CounterIncrement>();
    increments.set(name, counters);
    const merged = counters.get(id);
    if (!merged) counters.set(id, { collection: increment.collection, id, group, add: { ...add } });
    else for (const [field, n] of Object.entries(add)) merged.add[field] = (Object.hasOwn(merged.add, field) ? merged.add[field] : 0) + n;
  }

  const operations = new Map<string, AnyBulkWriteOperation<StoredDocument>[]>();
  for (const name of order) {
    const counters = [...(increments.get(name)?.values() ?? [])].map(counterOperation);
    operations.set(name, [...(upserts.get(name) ?? []), ...(deletes.get(name) ?? []), ...counters]);
  }
  return operations;
}

/**
 * One counter's upsert. A new counter gets its group fields (but never an id of theirs: the group cannot rename the
 * counter, and a field that is also added starts from the increment, as SQLite's zero-then-add does); $inc adds to
 * an existing one and creates a missing field with the increment.
 */
export function counterOperation(increment: CounterIncrement): AnyBulkWriteOperation<StoredDocument> {
  const { collection, id, group, add } = increment;
  const inc: Document = {};
  for (const [field, n] of Object.entries(add)) {
    if (field === 'id' || field === '_id') throw new TypeError(`increment ${collection}/${id}: cannot add to ${field}`);
    inc[field] = toStoredValue(n);
  }
  const setOnInsert: Document = {};
  for (const [field, value] of Object.entries(group)) {
    if (field === '_id') throw new TypeError(`increment ${collection}/${id}: _id is reserved (the store keeps the id there)`);
    if (field === 'id' || Object.hasOwn(inc, field) || isOmitted(value)) continue;
    setOnInsert[field] = toStoredValue(value);
  }
  const update: Document = {};
  // An empty $setOnInsert (MongoDB 5.0+ accepts empty operands) when there is nothing else: the counter is created.
  if (Object.keys(setOnInsert).length > 0 || Object.keys(inc).length === 0) update.$setOnInsert = setOnInsert;
  if (Object.keys(inc).length > 0) update.$inc = inc;
  return { updateOne: { filter: { _id: id }, update, upsert: true } };
}

function push<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const group = groups.get(key);
  if (group) group.push(value);
  else groups.set(key, [value]);
}

/* ---------- projection bookkeeping ---------- */

/** One generation of a projection as stored: its collections, each with its indexed fields. */
export interface StoredGeneration {
  generation: number;
  version: number;
  /** encodeCheckpoint's hex, or null before the first batch. */
  checkpoint: string | null;
  /** Logical collection name -> its indexedFields. */
  collections: Record<string, IndexedFields[]>;
}

export interface StoredProjection {
  _id: string;
  active: StoredGeneration;
  rebuilding: StoredGeneration | null;
  status: ProjectionStatus;
  failure: ProjectionState['failure'];
}

export type GenerationSlot = 'active' | 'rebuilding';

export function newProjection(name: string, version: number): StoredProjection {
  return {
    _id: name,
    active: { generation: 1, version, checkpoint: null, collections: {} },
    rebuilding: null,
    status: 'running',
    failure: null,
  };
}

export function toProjectionState(stored: StoredProjection): ProjectionState {
  const generation = (g: StoredGeneration): ProjectionGeneration => ({ generation: g.generation, version: g.version, checkpoint: decodeCheckpoint(g.checkpoint) });
  return {
    name: stored._id,
    active: generation(stored.active),
    rebuilding: stored.rebuilding ? generation(stored.rebuilding) : null,
    status: stored.status,
    failure: stored.failure ?? null,
  };
}

/** Which of the projection's generations a batch writes (active or rebuilding), or null if neither is that one. */
export function slotOf(stored: StoredProjection, generation: number): GenerationSlot | null {
  if (stored.active.generation === generation) return 'active';
  if (stored.rebuilding?.generation === generation) return 'rebuilding';
  return null;
}

/**
 * The update that moves a generation's checkpoint, in the batch's transaction. Its filter is the guard: the
 * generation still in that slot, and its checkpoint null or below the new one (hex strings of one width compare as
 * the numbers do). It matches nothing otherwise, and the batch is refused.
 */
export function checkpointUpdate(projection: string, slot: GenerationSlot, generation: number, checkpoint: bigint): { filter: Document; update: Document } {
  const hex = encodeCheckpoint(checkpoint);
  const path = `${slot}.checkpoint`;
  return {
    filter: { _id: projection, [`${slot}.generation`]: generation, $or: [{ [path]: null }, { [path]: { $lt: hex } }] },
    update: { $set: { [path]: hex } },
  };
}
