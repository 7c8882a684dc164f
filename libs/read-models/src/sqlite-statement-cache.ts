import Database from 'better-sqlite3';

/**
 * Prepared statements by SQL text, least recently used dropped first. Table names carry the generation and query
 * SQL carries the shape of the query (which filters, which sort), so the set of statements is open-ended; the
 * bound keeps it from growing with every query shape ever asked. clear() after tables are dropped: their
 * statements can never run again.
 */
export class SqliteStatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly capacity = 256,
  ) {}

  get<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql); // re-inserted below: Map order is recency order
    } else {
      statement = this.db.prepare(sql);
      if (this.statements.size >= this.capacity) this.statements.delete(this.statements.keys().next().value as string);
    }
    this.statements.set(sql, statement);
    return statement as unknown as Database.Statement<P, R>;
  }

  clear(): void {
    this.statements.clear();
  }
}
