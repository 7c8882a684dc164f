import { upcast } from '@pipeline-ledger/contracts';
import { StoredEvent } from '@pipeline-ledger/event-store';
import { Projection } from '../../projection';
import { CounterIncrement, Filter, FindQuery, FindResult, ReadModelDocument, SumQuery, SumRow } from '../../read-model-store.port';
import { mergeIncrements } from '../counter-increments';

type Scalar = string | number | boolean | null;

/**
 * A tiny stand-in for the runner and the store, for specs: events go through each projection that reads their type,
 * upcast to the current schema version as the runner does, in batches like the runner's (entity documents loaded by entityId and kept across the batch, increments merged
 * per batch, then everything written), and find / sum answer over the documents in memory with the port's
 * semantics (strings compare as strings, numbers as numbers; null matches missing).
 */
export class InMemoryProjectionStore {
  private readonly collections = new Map<string, Map<string, ReadModelDocument>>();

  constructor(private readonly projections: readonly Projection[]) {}

  /** Runs events through every projection, `batchSize` events per batch. */
  run(events: readonly StoredEvent[], batchSize = 100): this {
    for (let start = 0; start < events.length; start += batchSize) {
      const batch = events.slice(start, start + batchSize);
      for (const projection of this.projections) this.runBatch(projection, batch);
    }
    return this;
  }

  document(collection: string, id: string): ReadModelDocument | undefined {
    return this.collection(collection).get(id);
  }

  documents(collection: string): ReadModelDocument[] {
    return [...this.collection(collection).values()];
  }

  async find(collection: string, query: FindQuery): Promise<FindResult> {
    const matching = this.documents(collection).filter((doc) => matchesAll(doc, query.filters ?? []));
    const sorted = [...matching].sort((a, b) => {
      for (const { field, direction } of query.sort ?? []) {
        const order = compare(a[field], b[field]);
        if (order !== 0) return direction === 'asc' ? order : -order;
      }
      return 0;
    });
    const offset = query.offset ?? 0;
    return { documents: sorted.slice(offset, offset + query.limit).map((d) => ({ ...d })), total: matching.length };
  }

  async sumEach(requests: ReadonlyArray<{ collection: string; query: SumQuery }>): Promise<SumRow[][]> {
    return Promise.all(requests.map((r) => this.sum(r.collection, r.query)));
  }

  async sum(collection: string, query: SumQuery): Promise<SumRow[]> {
    const groups = new Map<string, SumRow>();
    for (const doc of this.documents(collection)) {
      if (!matchesAll(doc, query.filters ?? [])) continue;
      const values = query.groupBy.map((field) => scalar(doc[field]));
      const key = JSON.stringify(values);
      let row = groups.get(key);
      if (!row) {
        row = { documents: 0 } as SumRow;
        query.groupBy.forEach((field, i) => Object.assign(row as SumRow, { [field]: values[i] }));
        for (const field of query.sum) Object.assign(row, { [field]: 0 });
        groups.set(key, row);
      }
      row.documents += 1;
      for (const field of query.sum) {
        const n = doc[field];
        if (typeof n === 'number') Object.assign(row, { [field]: (row[field] as number) + n });
      }
    }
    return [...groups.values()];
  }

  private runBatch(projection: Projection, batch: readonly StoredEvent[]): void {
    const working = new Map<string, ReadModelDocument | null>();
    const increments: CounterIncrement[] = [];
    for (const stored of batch) {
      if (!projection.eventTypes.includes(stored.type)) continue;
      const event = upcast(stored);
      const id = projection.entityId(event);
      const current = id === null ? null : working.has(id) ? (working.get(id) ?? null) : (this.document(projection.entityCollection, id) ?? null);
      const result = projection.apply(event, current);
      if (id !== null && result.document !== undefined) working.set(id, result.document);
      increments.push(...(result.increments ?? []));
    }
    const entities = this.collection(projection.entityCollection);
    for (const [id, doc] of working) {
      if (doc === null) entities.delete(id);
      else entities.set(id, structuredClone(doc));
    }
    for (const inc of mergeIncrements(increments)) {
      const counters = this.collection(inc.collection);
      const doc = counters.get(inc.id) ?? { id: inc.id, ...inc.group };
      for (const [field, n] of Object.entries(inc.add)) doc[field] = (typeof doc[field] === 'number' ? (doc[field] as number) : 0) + n;
      counters.set(inc.id, doc);
    }
  }

  private collection(name: string): Map<string, ReadModelDocument> {
    let docs = this.collections.get(name);
    if (!docs) this.collections.set(name, (docs = new Map()));
    return docs;
  }
}

function scalar(value: unknown): Scalar {
  return value === undefined ? null : (value as Scalar);
}

function matchesAll(doc: ReadModelDocument, filters: readonly Filter[]): boolean {
  return filters.every((filter) => matches(doc, filter));
}

function matches(doc: ReadModelDocument, filter: Filter): boolean {
  if (filter.op === 'contains') {
    const needle = filter.value.toLowerCase();
    return filter.fields.some((field) => typeof doc[field] === 'string' && (doc[field] as string).toLowerCase().includes(needle));
  }
  const value = scalar(doc[filter.field]);
  if (filter.op === 'in') return filter.value.some((v) => v === value);
  if (filter.op === 'eq') return value === filter.value;
  if (filter.op === 'ne') return value !== filter.value;
  if (value === null || filter.value === null || typeof value !== typeof filter.value) return false;
  const order = compare(value, filter.value);
  switch (filter.op) {
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
  }
}

/** Nulls (and missing fields) first, then numbers as numbers and the rest as strings. */
function compare(a: unknown, b: unknown): number {
  const x = scalar(a);
  const y = scalar(b);
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}
