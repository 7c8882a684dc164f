/**
 * Generates a realistic event store file for the read-side benchmarks.
 *
 *   npm run bench:generate                      # 1,000,000 events, seed 42 -> ./data/bench-1m/events.sqlite
 *   npm run bench:generate -- --events 20000 --out /tmp/small.sqlite
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/support/generate.ts --help
 *
 * The file is written under a temporary name and renamed into place when complete (the old one, if any, is
 * replaced), so a half-written store never sits at --out. Prints events/s (generation and the durable appends
 * together: they run interleaved), the event type mix and what the history contains, and writes the same as JSON
 * to <out>.summary.json.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SqliteEventStore } from '@pipeline-ledger/event-store';
import { formatRate, machineInfo, renderTable } from '../bench-support';
import { createEventGenerator, defaultStartDate, GenerationSummary } from '../../apps/cli/src/demo/event-generator';
import { fillStore, FillResult } from './fill-store';

const USAGE = `usage: generate.ts [--events 1000000] [--out ./data/bench-1m/events.sqlite] [--seed 42]
                   [--months 18] [--start-date YYYY-MM-DD] [--concurrency 256] [--dry-run]

  --events       how many events to generate (the last conversion may add a few more)
  --out          the SQLite event store file to write (replaced if it exists)
  --seed         PRNG seed: the same seed and window give the same events and ids
  --months       length of the timeline in months (default 18)
  --start-date   first day of the timeline, UTC (default: the first of the month --months months ago, so the
                 window is the last full months; runs in the same month agree, pass this to pin it for good)
  --concurrency  appends in flight (group commit batches them), default 256
  --dry-run      generate only, write nothing: measures the generator alone`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift(); // ts-node passes the "--" of the npm script through
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        events: { type: 'string', default: '1000000' },
        out: { type: 'string', default: './data/bench-1m/events.sqlite' },
        seed: { type: 'string', default: '42' },
        months: { type: 'string', default: '18' },
        'start-date': { type: 'string' },
        concurrency: { type: 'string', default: '256' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const events = integer('events', values.events, 1);
  const seed = integer('seed', values.seed, Number.MIN_SAFE_INTEGER);
  const months = integer('months', values.months, 1);
  const concurrency = integer('concurrency', values.concurrency, 1);
  const startDate = values['start-date'] ? parseDay(values['start-date']) : defaultStartDate(months);
  const out = resolve(values.out);

  const generator = createEventGenerator({ events, seed, startDate, months });
  console.log(`seed ${seed}, ${events.toLocaleString('en-US')} events from ${startDate.toISOString().slice(0, 10)} over ${months} months`);

  if (values['dry-run']) {
    const started = performance.now();
    let count = 0;
    for (const append of generator.appends) count += append.events.length;
    const seconds = (performance.now() - started) / 1000;
    const summary = generator.summary();
    console.log(`generated ${count.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s: ${formatRate(count / seconds, 'events/s')} (generation only)`);
    printSummary(summary, summary.eventsByType, null, null, seconds);
    return;
  }

  mkdirSync(dirname(out), { recursive: true });
  const partial = `${out}.partial-${process.pid}`;
  removeDatabase(partial);
  const store = new SqliteEventStore({ filename: partial });
  let result: FillResult;
  const started = performance.now();
  try {
    result = await fillStore(store, generator.appends, {
      concurrency,
      progressEvery: 100_000,
      onProgress: (p) =>
        console.log(
          `  ${p.events.toLocaleString('en-US').padStart(11)} events  ${(p.elapsedMs / 1000).toFixed(1).padStart(6)} s  ` +
            `${formatRate(p.eventsPerSecond, 'events/s').padStart(16)}  rss ${mib(process.memoryUsage().rss)}`,
        ),
    });
  } catch (error) {
    await store.close().catch(() => undefined);
    removeDatabase(partial);
    throw error;
  }
  const head = await store.headPosition();
  await store.close(); // checkpoints the WAL into the file
  const seconds = (performance.now() - started) / 1000;
  if (head === null || Number(head) !== result.events) throw new Error(`the store holds ${String(head)} events, ${result.events} were appended`);

  // Replace the old file and any WAL it left behind (a stale WAL must never be applied to the new file).
  removeDatabase(out);
  renameSync(partial, out);
  const bytes = statSync(out).size;
  const summary = generator.summary();
  printSummary(summary, result.eventsByType, result, bytes, seconds);
  console.log(`\nwrote ${out}`);

  const json = {
    file: out,
    options: { events, seed, months, startDate: startDate.toISOString(), concurrency },
    machine: machineInfo(),
    seconds,
    eventsPerSecond: result.events / seconds,
    fileBytes: bytes,
    peakRssBytes: peakRss(),
    commits: result.commits,
    appendsPerCommit: result.appendsPerCommit,
    eventsByType: result.eventsByType,
    summary,
  };
  writeFileSync(`${out}.summary.json`, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${out}.summary.json`);
}

function printSummary(summary: GenerationSummary, eventsByType: Record<string, number>, fill: FillResult | null, bytes: number | null, seconds: number): void {
  const total = Object.values(eventsByType).reduce((a, b) => a + b, 0);
  console.log('');
  const rows: string[][] = [
    ['events', total.toLocaleString('en-US')],
    ['appends', (fill?.appends ?? summary.appends).toLocaleString('en-US')],
    ['total time', `${seconds.toFixed(1)} s`],
    [fill ? 'generate + append (durable)' : 'generate only', formatRate(total / seconds, 'events/s')],
  ];
  if (fill?.commits) rows.push(['commits (fsyncs)', `${fill.commits.toLocaleString('en-US')} (${(fill.appendsPerCommit ?? 0).toFixed(1)} appends/commit)`]);
  if (bytes !== null) rows.push(['file size', `${mib(bytes)} (${Math.round(bytes / total)} bytes/event)`]);
  rows.push(['peak RSS', mib(peakRss())]);
  rows.push(['timeline', `${summary.window.start.slice(0, 10)} .. ${summary.lastOccurredAt?.slice(0, 10) ?? '-'} (window ends ${summary.window.end.slice(0, 10)})`]);
  rows.push(['records in memory', `${summary.liveRecords.toLocaleString('en-US')} at the end, ${summary.peakLiveRecords.toLocaleString('en-US')} at most`]);
  if (summary.calibration) rows.push(['calibration', `${summary.calibration.eventsPerLead} events/lead, ${summary.calibration.plannedLeads.toLocaleString("en-US")} leads planned (margin ${summary.calibration.margin})`]);
  console.log(renderTable(['', ''], rows));

  console.log('');
  const types = Object.entries(eventsByType).sort((a, b) => b[1] - a[1]);
  console.log(renderTable(['event type', 'count', 'share'], types.map(([type, n]) => [type, n.toLocaleString('en-US'), pct(n, total)])));

  const l = summary.leads;
  const o = summary.opportunities;
  const closed = o.byOutcome.won + o.byOutcome.lost;
  console.log('');
  console.log(
    renderTable(
      ['what the history holds', ''],
      [
        ['leads created', l.created.toLocaleString('en-US')],
        ['  converted', `${l.converted.toLocaleString('en-US')} (${pct(l.converted, l.created)}), with an opportunity ${pct(l.convertedWithOpportunity, l.converted)}, into an existing account ${pct(l.convertedIntoExistingAccount, l.converted)}`],
        ['  disqualified at least once', `${l.disqualifiedAtLeastOnce.toLocaleString('en-US')} (${pct(l.disqualifiedAtLeastOnce, l.created)}); reopened ${l.reopened.toLocaleString('en-US')}, nurtured ${l.nurtured.toLocaleString('en-US')}`],
        ['  status now', Object.entries(l.byStatus).map(([s, n]) => `${s} ${pct(n, l.created)}`).join(', ')],
        ['  by source', Object.entries(l.bySource).sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s} ${pct(n, l.created)}`).join(', ')],
        ['opportunities', `${o.created.toLocaleString('en-US')} (${o.fromConversions.toLocaleString('en-US')} from conversions, ${o.expansions.toLocaleString('en-US')} expansions); reopened ${o.reopened.toLocaleString('en-US')}`],
        ['  outcome now', `won ${pct(o.byOutcome.won, o.created)}, lost ${pct(o.byOutcome.lost, o.created)}, open ${pct(o.byOutcome.open, o.created)}; win rate (won / closed) ${pct(o.byOutcome.won, closed)}`],
        ['  currency at creation', Object.entries(o.byCurrency).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${pct(n, o.created)}`).join(', ')],
        ['accounts', `${summary.accounts.created.toLocaleString('en-US')} created, ${summary.accounts.mergedFromLeads.toLocaleString('en-US')} leads merged into existing ones`],
        ['contacts', `${summary.contacts.created.toLocaleString('en-US')} created, ${summary.contacts.mergedFromLeads.toLocaleString('en-US')} leads merged into existing ones`],
      ],
    ),
  );
}

function integer(name: string, raw: string | undefined, min: number): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isSafeInteger(value) || value < min) fail(`--${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}\n\n${USAGE}`);
  return value;
}

function parseDay(raw: string): Date {
  const date = new Date(`${raw}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(date.getTime())) fail(`--start-date must be YYYY-MM-DD, got ${JSON.stringify(raw)}`);
  return date;
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) if (existsSync(file + suffix)) rmSync(file + suffix);
}

function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : 'n/a';
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
