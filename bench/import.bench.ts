/**
 * CSV import of leads: rows/s for a 200,000-lead file, beside the raw batched-insert rate of SQLite in the same run.
 *
 *   npm run bench:import -- [--rows 200000] [--rounds 3] [--seed 42] [--duplicates 0.01] [--batch 1000]
 *
 * The file is generated (seeded: the same rows every run): realistic names, companies, emails, phones, sources and
 * creation dates over 18 months, with a share of rows repeating an earlier row's email (duplicates to report).
 * Each round, in turns (the disk of this VM drifts):
 *   raw          plain better-sqlite3 inserts of the same number of rows, 1000 per transaction, a few hundred bytes a
 *                row and stream ids in order (bench/raw-sqlite.baseline.ts, the baseline the other benches use)
 *   import       `import leads` into an empty DATA_DIR, as the CLI runs it (LeadImporter in an ImportModule context):
 *                read and validate (on the row worker), duplicates, the lead decider, personal fields sealed, hash
 *                chains, batch appends of 1000 rows
 *   shaped raw   the same raw inserts with rows as large as the events the import stored (sealed personal fields, the
 *                hash chain) and random stream ids, as new leads have: what the disk allows for this data
 * Then once: the same file again on the last round's store (every row found already imported, nothing written), and
 * a dry run (read, validate, look for duplicates; nothing written).
 * Aim (the import issue): the import at least 25% of the raw rate: the median over the rounds of import / raw. The
 * ratio to the shaped raw rate is printed beside it. Peak RSS while importing is printed too.
 */
import Database from 'better-sqlite3';
import { NestFactory } from '@nestjs/core';
import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'csv-stringify';
import { LEAD_SOURCES } from '@pipeline-ledger/domain';
import { loadConfig } from '../apps/api/src/config/app-config';
import { ImportReport } from '../apps/api/src/import/import-report';
import { ImportModule } from '../apps/api/src/import/import.module';
import { LeadImporter } from '../apps/api/src/import/lead-import';
import { formatRate, formatRatio, freshTempDir, machineInfo, parseArgsOrExit, positiveInt, removeDir, renderTable, verdict, writeResults } from './bench-support';
import { RowShape, measureRawBatchedInserts } from './raw-sqlite.baseline';
import { COMPANY_FORMS, COMPANY_KINDS, COMPANY_STEMS, FIRST_NAMES, INDUSTRIES, LAST_NAMES, TITLES } from '../apps/cli/src/demo/generator-vocabulary';
import { Prng } from '../apps/cli/src/demo/prng';

const USAGE = `usage: npm run bench:import -- [--rows 200000] [--seed 42] [--duplicates 0.01] [--batch 1000]`;

async function main(): Promise<void> {
  const { values } = parseArgsOrExit(
    {
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: { rows: { type: 'string' }, seed: { type: 'string' }, duplicates: { type: 'string' }, batch: { type: 'string' }, rounds: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    },
    USAGE,
  );
  const rows = positiveInt('rows', values.rows, 200_000);
  const seed = positiveInt('seed', values.seed, 42, 0);
  const batchSize = positiveInt('batch', values.batch, 1000);
  const rounds = positiveInt('rounds', values.rounds, 3);
  const duplicateShare = values.duplicates === undefined ? 0.01 : Number(values.duplicates);
  const dir = freshTempDir('pl-bench-import-');
  try {
    const file = join(dir, 'leads.csv');
    await writeLeadsCsv(file, rows, seed, duplicateShare);
    console.log(`machine: ${JSON.stringify(machineInfo())}`);
    console.log(`file: ${rows.toLocaleString('en-US')} rows, ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB, ${(duplicateShare * 100).toFixed(1)}% repeating an earlier email; ${rounds} rounds\n`);

    // Peak RSS while importing only: the raw baselines hold their 200,000 rows in memory too, and are not the import.
    let peakRss = 0;
    let importing = false;
    const sample = setInterval(() => importing && (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const perRound: Array<{ raw: number; shapedRaw: number; import: number; report: ImportReport }> = [];
    let shape: RowShape | null = null;
    let last: { dataDir: string } | null = null;
    let again: ImportReport;
    let dry: ImportReport;
    try {
      for (let round = 1; round <= rounds; round++) {
        const raw = measureRawBatchedInserts(rows, dir).perSecond;
        const dataDir = join(dir, `data-${round}`);
        importing = true;
        const report = await withImporter(dataDir, (importer) => importer.import(file, { batchSize }));
        importing = false;
        shape ??= storedRowShape(dataDir);
        const shapedRaw = measureRawBatchedInserts(rows, dir, shape).perSecond;
        perRound.push({ raw, shapedRaw, import: report.rows / report.seconds, report });
        console.log(`round ${round}: raw ${formatRate(raw, 'rows/s')}, shaped raw ${formatRate(shapedRaw, 'rows/s')}, import ${formatRate(report.rows / report.seconds, 'rows/s')} (${formatRatio(report.rows / report.seconds / raw)} of raw)`);
        if (last) removeDir(last.dataDir);
        last = { dataDir };
      }
      // On the last round's store: the same file again (everything found already imported), and a dry run.
      again = await withImporter(last!.dataDir, (importer) => importer.import(file, { batchSize }));
      dry = await withImporter(join(dir, 'dry'), (importer) => importer.import(file, { batchSize, dryRun: true }));
    } finally {
      clearInterval(sample);
    }

    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const ratios = perRound.map((r) => r.import / r.raw);
    const shapedRatios = perRound.map((r) => r.import / r.shapedRaw);
    const real = perRound[perRound.length - 1]!.report;
    console.log('');
    console.log(
      renderTable(
        ['run', 'rows/s (median)', 'of raw', 'of shaped raw', 'imported', 'already', 'duplicates', 'rejected', 'events'],
        [
          ['raw batched inserts (~350 B rows, ordered stream ids)', formatRate(median(perRound.map((r) => r.raw)), 'rows/s'), '', '', '', '', '', '', ''],
          [`raw, rows shaped like the import's (${shape!.payloadBytes} B, random stream ids)`, formatRate(median(perRound.map((r) => r.shapedRaw)), 'rows/s'), '', '', '', '', '', '', ''],
          ['import', formatRate(median(perRound.map((r) => r.import)), 'rows/s'), formatRatio(median(ratios)), formatRatio(median(shapedRatios)), String(real.imported), String(real.alreadyImported), String(real.duplicates), String(real.rejected), String(real.events)],
          ['re-run (nothing new)', formatRate(again.rows / again.seconds, 'rows/s'), formatRatio(again.rows / again.seconds / median(perRound.map((r) => r.raw))), '', String(again.imported), String(again.alreadyImported), String(again.duplicates), String(again.rejected), String(again.events)],
          ['dry run (read, validate, duplicates)', formatRate(dry.rows / dry.seconds, 'rows/s'), formatRatio(dry.rows / dry.seconds / median(perRound.map((r) => r.raw))), '', String(dry.imported), '', String(dry.duplicates), String(dry.rejected), ''],
        ],
      ),
    );
    const ratio = median(ratios);
    console.log(`\nimport: ${formatRatio(ratio)} of the raw batched-insert rate, the median of ${rounds} rounds (each ratio against the raw rate measured just before it) (aim >= 25%): ${verdict(ratio >= 0.25)}`);
    console.log(`against raw inserts of rows shaped like the import's: ${formatRatio(median(shapedRatios))}`);
    console.log(`peak RSS while importing: ${(peakRss / 2 ** 20).toFixed(0)} MiB (this process, the row worker's heap included)`);
    const results = writeResults('import', { machine: machineInfo(), rows, seed, duplicateShare, batchSize, rounds: perRound.map((r) => ({ ...r, report: strip(r.report) })), shape, again: strip(again), dry: strip(dry), ratio, shapedRatio: median(shapedRatios), peakRss });
    console.log(`results: ${results}`);
  } finally {
    removeDir(dir);
  }
}

/** The importer as the CLI runs it: an ImportModule application context on its own DATA_DIR. */
async function withImporter<T>(dataDir: string, work: (importer: LeadImporter) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(ImportModule.forRoot(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error' })), { logger: false });
  try {
    return await work(app.get(LeadImporter));
  } finally {
    await app.close();
  }
}

/** What the import stored per event: bytes of data and metadata JSON, on average. */
function storedRowShape(dataDir: string): RowShape {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const { bytes } = db.prepare('SELECT AVG(LENGTH(data) + LENGTH(metadata)) AS bytes FROM events').get() as { bytes: number };
    return { payloadBytes: Math.round(bytes), randomStreamIds: true };
  } finally {
    db.close();
  }
}

function strip(r: ImportReport) {
  return { ...r, problems: r.problems.length };
}

/** A purchased list: seeded rows in CSV, with some rows repeating an earlier email (a list bought twice over). */
export async function writeLeadsCsv(file: string, rows: number, seed: number, duplicateShare: number): Promise<void> {
  const prng = new Prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(prng.float() * list.length)]!;
  const out = createWriteStream(file);
  const csv = stringify({ header: true, columns: ['First Name', 'Last Name', 'Company', 'Title', 'Email', 'Phone', 'Lead Source', 'Industry', 'Created Date'] });
  const done = new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  csv.pipe(out);
  const start = Date.now() - 548 * 86_400_000;
  const emails: string[] = [];
  for (let i = 0; i < rows; i++) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const form = pick(COMPANY_FORMS);
    const stem = pick(COMPANY_STEMS);
    const company = `${stem} ${pick(COMPANY_KINDS)}${form.suffix ? ` ${form.suffix}` : ''}`;
    const repeat = emails.length > 0 && prng.float() < duplicateShare;
    const email = repeat ? pick(emails) : `${first}.${last}.${i}@${stem.replace(/\W/g, '').toLowerCase()}.${form.tld}`.toLowerCase().replace(/'/g, '');
    if (!repeat) emails.push(email);
    const phone = `${form.phone} ${100 + Math.floor(prng.float() * 900)} ${1000000 + Math.floor(prng.float() * 9000000)}`;
    const created = new Date(start + Math.floor(prng.float() * 547 * 86_400_000)).toISOString();
    const ok = csv.write([first, last, company, pick(TITLES), email, phone, pick(LEAD_SOURCES), pick(INDUSTRIES), created]);
    if (!ok) await new Promise((resolve) => csv.once('drain', resolve));
  }
  csv.end();
  await done;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
