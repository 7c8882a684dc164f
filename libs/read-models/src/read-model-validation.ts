import { CounterIncrement, ProjectionDefinition } from './read-model-store.port';

/**
 * What every ReadModelStore adapter checks the same way before it touches storage: names (they end up in table
 * and collection names, SQL text and MongoDB paths), projection definitions, batch entries, and query shapes.
 */

const COLLECTION_NAME = /^[a-z][a-z0-9_]*$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_NAME_LENGTH = 64;

/** Collection names become table and collection names: only lowercase letters, digits and underscores, starting with a letter. */
export function assertCollectionName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !COLLECTION_NAME.test(name)) {
    throw new Error(`invalid collection name ${JSON.stringify(name)}: must match ${COLLECTION_NAME} (at most ${MAX_NAME_LENGTH} characters)`);
  }
}

/**
 * Field names end up in JSON paths inside the SQL text (so that expression indexes match) and in MongoDB field paths
 * (no dots, no leading $): letters, digits, _.
 */
/**
 * The name of the table (SQLite) or collection (MongoDB) that holds one collection of one generation: both adapters
 * keep each generation of each collection apart, so that a rebuild fills a new one while the active one answers.
 */
export function generationCollectionName(collection: string, generation: number): string {
  assertCollectionName(collection);
  if (!Number.isSafeInteger(generation) || generation < 1) throw new Error(`invalid generation ${generation}`);
  return `rm_${collection}_g${generation}`;
}

export function assertFieldName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !FIELD_NAME.test(name)) {
    throw new Error(`invalid field name ${JSON.stringify(name)}: must match ${FIELD_NAME} (at most ${MAX_NAME_LENGTH} characters)`);
  }
}

/** An entry of CollectionDefinition.indexedFields: one field, or the fields of a compound index in order. */
export type IndexedFields = string | readonly string[];

/**
 * Index entries checked and copied. Two entries that differ only by case are refused: SQLite compares index
 * names case-insensitively, and every adapter refuses the same definitions.
 */
export function checkIndexedFields(collection: string, entries: readonly IndexedFields[]): IndexedFields[] {
  if (!Array.isArray(entries)) throw new Error(`collection ${collection}: indexedFields must be an array`);
  const seen = new Set<string>();
  return entries.map((entry) => {
    const fields = typeof entry === 'string' ? [entry] : entry;
    if (!Array.isArray(fields) || fields.length === 0) throw new Error(`collection ${collection}: a compound index needs a non-empty list of fields`);
    fields.forEach((field) => assertFieldName(field));
    if (new Set(fields.map((f) => f.toLowerCase())).size !== fields.length) throw new Error(`collection ${collection}: index ${fields.join('+')} names a field twice`);
    const folded = fields.join('+').toLowerCase();
    if (seen.has(folded)) throw new Error(`collection ${collection}: indexed field ${fields.join('+')} given twice (names are compared case-insensitively)`);
    seen.add(folded);
    return typeof entry === 'string' ? entry : [...fields];
  });
}

export function checkDefinition(definition: ProjectionDefinition): ProjectionDefinition {
  if (typeof definition?.name !== 'string' || definition.name === '') throw new TypeError('a projection needs a non-empty name');
  if (!Number.isSafeInteger(definition.version) || definition.version < 1) {
    throw new TypeError(`projection ${definition.name}: version must be an integer >= 1, got ${String(definition.version)}`);
  }
  if (!Array.isArray(definition.collections)) throw new TypeError(`projection ${definition.name}: collections must be an array`);
  const names = new Set<string>();
  const collections = definition.collections.map((collection) => {
    assertCollectionName(collection?.name);
    if (names.has(collection.name)) throw new Error(`projection ${definition.name}: collection ${collection.name} given twice`);
    names.add(collection.name);
    return { name: collection.name, indexedFields: checkIndexedFields(collection.name, collection.indexedFields) };
  });
  return { name: definition.name, version: definition.version, collections };
}

export function checkId(collection: string, id: unknown): string {
  if (typeof id !== 'string' || id === '') throw new TypeError(`a delete from ${collection} needs a non-empty string id`);
  return id;
}

export function checkIncrement(increment: CounterIncrement): CounterIncrement {
  const { collection, id, group, add } = increment;
  if (typeof id !== 'string' || id === '') throw new TypeError(`an increment of ${collection} needs a non-empty string id`);
  if (group === null || typeof group !== 'object') throw new TypeError(`increment ${collection}/${id}: group must be an object`);
  if (add === null || typeof add !== 'object') throw new TypeError(`increment ${collection}/${id}: add must be an object`);
  for (const [field, n] of Object.entries(add)) {
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new TypeError(`increment ${collection}/${id}: ${field} must be a finite number, got ${String(n)}`);
  }
  return increment;
}

/** A sum's groupBy and sum lists: valid field names, none twice, none both grouped and summed, none called documents. */
export function checkSumFields(groupBy: unknown, sum: unknown): { groupBy: string[]; sum: string[] } {
  const grouped = distinctFields('groupBy', groupBy);
  const summed = distinctFields('sum', sum);
  const clash = grouped.find((f) => summed.includes(f)) ?? [...grouped, ...summed].find((f) => f === 'documents');
  if (clash !== undefined) throw new Error(`field ${clash} cannot be both grouped and summed, nor be called documents`);
  return { groupBy: grouped, sum: summed };
}

function distinctFields(what: string, fields: unknown): string[] {
  if (!Array.isArray(fields)) throw new TypeError(`${what} must be an array of field names`);
  for (const field of fields) assertFieldName(field);
  if (new Set(fields).size !== fields.length) throw new Error(`${what} names a field twice`);
  return fields as string[];
}

export function nonNegativeInteger(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be an integer >= 0, got ${String(value)}`);
  return value;
}
