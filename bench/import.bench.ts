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
 *   import       `pipeline-ledger import leads <file>` from the build (`npm run build` runs first), a process of its
 *                own on an empty DATA_DIR, timed from its start to its exit: read and validate (the row worker),
 *                duplicates, the lead decider, personal fields sealed, hash chains, batch appends of 1000 rows
 *                (committed by the store's bulk writer thread); its peak RSS from its own --json report
 *   shaped raw   the same raw inserts with rows as large as the events the import stored (sealed personal fields, the
 *                hash chain) and random stream ids, as new leads have: what the disk allows for this data
 * Then once: the same file again on the last round's store (every row found already imported, nothing written), and
 * a dry run (read, validate, look for duplicates; nothing written).
 * Aim (the import issue): the import at least 25% of the raw rate: the median over the rounds of import / raw. The
 * ratio to the shaped raw rate is printed beside it.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'csv-stringify';
import { LEAD_SOURCES } from '@pipeline-ledger/domain';
import { ImportReport } from '../apps/api/src/import/import-report';
import { REPO_ROOT, formatRate, formatRatio, freshTempDir, machineInfo, parseArgsOrExit, positiveInt, removeDir, renderTable, verdict, writeResults } from './bench-support';
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
    // The import as users run it: the built CLI, a process of its own, timed from its start to its exit.
    console.log('building (npm run build) ...');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    const perRound: Array<{ raw: number; shapedRaw: number; import: number; report: CliReport }> = [];
    let shape: RowShape | null = null;
    let last: string | null = null;
    for (let round = 1; round <= rounds; round++) {
      const raw = measureRawBatchedInserts(rows, dir).perSecond;
      const dataDir = join(dir, `data-${round}`);
      const report = runImport(dataDir, file, dir, batchSize);
      shape ??= storedRowShape(dataDir);
      const shapedRaw = measureRawBatchedInserts(rows, dir, shape).perSecond;
      perRound.push({ raw, shapedRaw, import: report.rows / report.wallSeconds, report });
      console.log(`round ${round}: raw ${formatRate(raw, 'rows/s')}, shaped raw ${formatRate(shapedRaw, 'rows/s')}, import ${formatRate(report.rows / report.wallSeconds, 'rows/s')} (${formatRatio(report.rows / report.wallSeconds / raw)} of raw), peak RSS ${(report.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
      if (last) removeDir(last);
      last = dataDir;
    }
    // On the last round's store: the same file again (every row found already imported), and a dry run.
    const again = runImport(last!, file, dir, batchSize);
    const dry = runImport(join(dir, 'dry'), file, dir, batchSize, ['--dry-run']);

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
          ['import (the CLI, start to exit)', formatRate(median(perRound.map((r) => r.import)), 'rows/s'), formatRatio(median(ratios)), formatRatio(median(shapedRatios)), String(real.imported), String(real.alreadyImported), String(real.duplicates), String(real.rejected), String(real.events)],
          ['re-run (nothing new)', formatRate(again.rows / again.wallSeconds, 'rows/s'), formatRatio(again.rows / again.wallSeconds / median(perRound.map((r) => r.raw))), '', String(again.imported), String(again.alreadyImported), String(again.duplicates), String(again.rejected), String(again.events)],
          ['dry run (read, validate, duplicates)', formatRate(dry.rows / dry.wallSeconds, 'rows/s'), formatRatio(dry.rows / dry.wallSeconds / median(perRound.map((r) => r.raw))), '', String(dry.imported), '', String(dry.duplicates), String(dry.rejected), ''],
        ],
      ),
    );
    const ratio = median(ratios);
    console.log(`\nimport: ${formatRatio(ratio)} of the raw batched-insert rate, the median of ${rounds} rounds (each ratio against the raw rate measured just before it) (aim >= 25%): ${verdict(ratio >= 0.25)}`);
    console.log(`against raw inserts of rows shaped like the import's: ${formatRatio(median(shapedRatios))}`);
    console.log(`peak RSS of the import process: ${(median(perRound.map((r) => r.report.peakRssBytes)) / 2 ** 20).toFixed(0)} MiB (median of the rounds; its threads included)`);
    const results = writeResults('import', { machine: machineInfo(), rows, seed, duplicateShare, batchSize, rounds: perRound.map((r) => ({ ...r, report: strip(r.report) })), shape, again: strip(again), dry: strip(dry), ratio, shapedRatio: median(shapedRatios) });
    console.log(`results: ${results}`);
  } finally {
    removeDir(dir);
  }
}

interface CliReport extends ImportReport {
  peakRssBytes: number;
  /** From starting the CLI to its exit: start-up, the import, closing the stores. */
  wallSeconds: number;
}

/** `pipeline-ledger import leads <file>` from the build, on its own DATA_DIR; its JSON report and wall time. */
function runImport(dataDir: string, file: string, dir: string, batchSize: number, extra: string[] = []): CliReport {
  const json = join(dir, `report-${Date.now()}.json`);
  const started = performance.now();
  execFileSync(process.execPath, [join(REPO_ROOT, 'dist/apps/cli/src/main.js'), 'import', 'leads', file, '--no-progress', '--batch', String(batchSize), '--json', json, ...extra], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const wallSeconds = (performance.now() - started) / 1000;
  return { ...(JSON.parse(readFileSync(json, 'utf8')) as CliReport), wallSeconds };
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

function strip(r: ImportReport & Partial<CliReport>) {
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
