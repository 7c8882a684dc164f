import { CounterIncrement, ReadModelDocument } from './read-model-store.port';
import { SqliteStatementCache } from './sqlite-statement-cache';

/** Rows per multi-row upsert: one statement call per 64 documents instead of one each (measured ~25 % faster). */
const UPSERT_ROWS = 64;
/** Ids per lookup: a fixed-size IN list (padded with NULLs) keeps one prepared statement per table. */
const READ_IDS = 500;

/** Reads and writes whole documents of one collection table; the caller holds the transaction. */
export class SqliteDocumentTables {
  constructor(private readonly statements: SqliteStatementCache) {}

  /**
   * Writes each document whole under its id (a later one with the same id wins). In id order: ids are random
   * UUIDs, and walking the primary-key b-tree from left to right instead of jumping around it saved ~10 % of a
   * 5,000-document batch (measured), sort included. The sort is stable, so duplicates keep their order.
   */
  upsert(table: string, unsorted: ReadonlyArray<{ id: string; json: string }>): void {
    const documents = [...unsorted].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rows = (n: number) => Array.from({ length: n }, () => '(?, jsonb(?))').join(', ');
    const upsertSql = (n: number) => `INSERT INTO ${table} (id, doc) VALUES ${rows(n)} ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`;
    let i = 0;
    if (documents.length >= UPSERT_ROWS) {
      const many = this.statements.get<unknown[]>(upsertSql(UPSERT_ROWS));
      const params: string[] = new Array(UPSERT_ROWS * 2);
      for (; i + UPSERT_ROWS <= documents.length; i += UPSERT_ROWS) {
        for (let j = 0; j < UPSERT_ROWS; j++) {
          params[2 * j] = documents[i + j].id;
          params[2 * j + 1] = documents[i + j].json;
        }
        many.run(...params);
      }
    }
    if (i < documents.length) {
      const one = this.statements.get<[string, string]>(upsertSql(1));
      for (; i < documents.length; i++) one.run(documents[i].id, documents[i].json);
    }
  }

  delete(table: string, ids: readonly string[]): void {
    if (!ids.length) return;
    const statement = this.statements.get<[string]>(`DELETE FROM ${table} WHERE id = ?`);
    for (const id of ids) statement.run(id);
  }

  /** The documents with these ids, parsed; missing ids are absent from the map. */
  read(table: string, ids: readonly string[]): Map<string, ReadModelDocument> {
    const found = new Map<string, ReadModelDocument>();
    if (!ids.length) return found;
    const statement = this.statements
      .get<(string | null)[], [string, string]>(`SELECT id, json(doc) FROM ${table} WHERE id IN (${new Array(READ_IDS).fill('?').join(', ')})`)
      .raw(true);
    const params: (string | null)[] = new Array(READ_IDS);
    for (let start = 0; start < ids.length; start += READ_IDS) {
      for (let j = 0; j < READ_IDS; j++) params[j] = start + j < ids.length ? ids[start + j] : null;
      for (const [id, json] of statement.all(...params)) found.set(id, JSON.parse(json) as ReadModelDocument);
    }
    return found;
  }

  /**
   * Adds increments to the counter documents of one table: increments to the same counter are added up first,
   * the existing counters are read in one go, merged here, and written back whole. (Measured against a
   * json_set(...) upsert per counter in SQL: the same speed, and this keeps the creation rule in one place.)
   * A missing counter starts as { id, ...group, <each added field>: 0 }.
   */
  increment(table: string, collection: string, increments: readonly CounterIncrement[]): void {
    const merged = new Map<string, { group: CounterIncrement['group']; add: Record<string, number> }>();
    for (const increment of increments) {
      const entry = merged.get(increment.id);
      if (!entry) merged.set(increment.id, { group: increment.group, add: { ...increment.add } });
      else for (const [field, n] of Object.entries(increment.add)) entry.add[field] = (entry.add[field] ?? 0) + n;
    }
    const existing = this.read(table, [...merged.keys()]);
    const documents: { id: string; json: string }[] = [];
    for (const [id, { group, add }] of merged) {
      let document = existing.get(id);
      if (!document) {
        document = { id, ...group };
        document.id = id; // a group field named id cannot rename the counter
        for (const field of Object.keys(add)) document[field] = 0;
      }
      for (const [field, n] of Object.entries(add)) {
        const current = document[field] ?? 0;
        if (typeof current !== 'number') throw new Error(`counter ${collection}/${id}: field ${field} holds ${JSON.stringify(current)}, not a number`);
        document[field] = current + n;
      }
      documents.push({ id, json: JSON.stringify(document) });
    }
    this.upsert(table, documents);
  }
}
