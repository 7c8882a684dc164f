/**
 * The ceiling for a projection rebuild: read every row of the events table with plain better-sqlite3, in position
 * order, and JSON.parse its data and metadata. No store, no projection, no writes. A rebuild that goes through the
 * store and applies projections is judged by its ratio to this rate, measured on the same file and machine.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/support/raw-read.baseline.ts [file] [--rounds 3]
 *
 * (file defaults to ./data/bench-1m/events.sqlite, written by `npm run bench:generate`.) The command line also
 * measures, for reference, the read without parsing and the store's own readAll pages (toStoredEvent).
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SqliteEventStore } from '@pipeline-ledger/event-store';

export interface RawReadResult {
  /** iterate: one statement over the whole table; paged: `position > ? LIMIT pageSize` queries, like a subscription. */
  mode: 'iterate' | 'paged';
  parse: boolean;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Characters of data + metadata JSON read. */
  jsonChars: number;
}

export interface RawReadOptions {
  mode?: 'iterate' | 'paged';
  /** Rows per query in paged mode. Default 1000 (the store's readAll default). */
  pageSize?: number;
  /** JSON.parse data and metadata (default true); false measures the read alone. */
  parse?: boolean;
}

/** The columns the store reads (sqlite-schema.ts), so the rows cost the same to fetch. */
const COLUMNS = 'position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at';

interface Row {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
}

/** Reads (and by default parses) every event of an event store file; returns events per second. */
export function measureRawReadAndParse(filename: string, options: RawReadOptions = {}): RawReadResult {
  const mode = options.mode ?? 'iterate';
  const pageSize = options.pageSize ?? 1000;
  const parse = options.parse ?? true;
  const db = new Database(filename, { readonly: true, fileMustExist: true });
  try {
    let events = 0;
    let jsonChars = 0;
    let sink = 0; // something depends on every parsed value
    const consume = (row: Row): void => {
      events += 1;
      jsonChars += row.data.length + row.metadata.length;
      if (parse) {
        const data = JSON.parse(row.data) as Record<string, unknown>;
        const metadata = JSON.parse(row.metadata) as Record<string, unknown>;
        if (data !== null && metadata !== null) sink += 1;
      }
    };
    const started = performance.now();
    if (mode === 'iterate') {
      const all = db.prepare<[], Row>(`SELECT ${COLUMNS} FROM events ORDER BY position`);
      for (const row of all.iterate()) consume(row);
    } else {
      const page = db.prepare<[number, number], Row>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
      let after = -1;
      for (;;) {
        const rows = page.all(after, pageSize);
        for (const row of rows) consume(row);
        if (rows.length < pageSize) break;
        after = rows[rows.length - 1].position;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    if (parse && sink !== events) throw new Error('unreachable: every row parses to an object');
    return { mode, parse, events, seconds, eventsPerSecond: events / seconds, jsonChars };
  } finally {
    db.close();
  }
}

/** Reference: the store's own readAll, page after page (bigint positions, toStoredEvent, both JSON columns parsed). */
export async function measureStoreReadAll(filename: string, pageSize = 1000): Promise<{ events: number; seconds: number; eventsPerSecond: number }> {
  const store = new SqliteEventStore({ filename });
  try {
    let events = 0;
    let after: bigint | null = null;
    const started = performance.now();
    for (;;) {
      const page = await store.readAll({ after, maxCount: pageSize });
      events += page.length;
      if (page.length < pageSize) break;
      after = page[page.length - 1].position;
    }
    const seconds = (performance.now() - started) / 1000;
    return { events, seconds, eventsPerSecond: events / seconds };
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const { values, positionals } = parseArgs({
    args,
    options: { rounds: { type: 'string', default: '3' }, help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log('usage: raw-read.baseline.ts [file (default ./data/bench-1m/events.sqlite)] [--rounds 3]');
    return;
  }
  const file = resolve(positionals[0] ?? './data/bench-1m/events.sqlite');
  if (!existsSync(file)) throw new Error(`${file} does not exist: run npm run bench:generate first`);
  const rounds = Math.max(1, Number(values.rounds) || 3);
  console.log(`${file}: ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB`);

  measureRawReadAndParse(file, { parse: false }); // warm the OS page cache: every round reads from memory
  const runs: { name: string; rates: number[]; events: number }[] = [
    { name: 'raw iterate() + JSON.parse (baseline)', rates: [], events: 0 },
    { name: 'raw paged by position (1000) + JSON.parse', rates: [], events: 0 },
    { name: 'raw iterate(), no parse', rates: [], events: 0 },
    { name: 'store.readAll pages of 1000 (reference)', rates: [], events: 0 },
  ];
  for (let round = 1; round <= rounds; round++) {
    const results = [
      measureRawReadAndParse(file, { mode: 'iterate' }),
      measureRawReadAndParse(file, { mode: 'paged' }),
      measureRawReadAndParse(file, { mode: 'iterate', parse: false }),
      await measureStoreReadAll(file),
    ];
    results.forEach((r, i) => {
      runs[i].rates.push(r.eventsPerSecond);
      runs[i].events = r.events;
    });
    console.log(`round ${round}/${rounds}: ${results.map((r) => `${Math.round(r.eventsPerSecond).toLocaleString('en-US')}/s`).join(', ')}`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(runs[0].rates);
  console.log('');
  for (const run of runs) {
    const m = median(run.rates);
    console.log(
      `${run.name.padEnd(44)} ${Math.round(m).toLocaleString('en-US').padStart(11)} events/s  ` +
        `${((m / base) * 100).toFixed(0).padStart(4)}%  (${run.events.toLocaleString('en-US')} events, ${(run.events / m).toFixed(2)} s, median of ${rounds})`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
