/**
 * CreateLead commands through the CommandBus, against raw better-sqlite3 measured in the same run.
 *
 *   npm run bench:commands -- [--sequential 5000] [--concurrent 20000] [--concurrency 64] [--baseline 5000]
 *                             [--rounds 5] [--warmup 2000] [--batched 50000] [--keep]
 *
 * One application context (AppModule, no HTTP listener) on a fresh temporary data directory. After a warm-up,
 * the work is cut into `rounds` rounds; each round measures, back to back:
 *   - raw single-row durable commits (bench/raw-sqlite.baseline.ts, its own fresh file), the baseline;
 *   - CreateLead commands strictly one after the other (await each);
 *   - CreateLead commands with `concurrency` in flight, and how many appends each commit carried.
 * Interleaving keeps the baseline and the commands under the same disk conditions: a shared VM's fsync rate drifts
 * by 2x within a minute. Rates are totals over all rounds; the ratios judged against the aims are the median of the
 * per-round ratios (each round's commands/s over that round's baseline), with their range to show the spread.
 */
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateLead, LeadCommand, LeadState } from '@pipeline-ledger/domain';
import { AppendBatcherStats, SqliteEventStore } from '@pipeline-ledger/event-store';
import { SEALED_EVENT_STORE } from '../apps/api/src/infrastructure/storage.module';
import { AppModule } from '../apps/api/src/app.module';
import { loadConfig } from '../apps/api/src/config/app-config';
import { CommandContext } from '../apps/api/src/write/command-context';
import { ExecuteRecordCommand } from '../apps/api/src/write/execute-record.command';
import { DEFAULT_RECORDS } from '../apps/api/src/write/record-types';
import {
  formatMs,
  formatRate,
  formatRatio,
  freshTempDir,
  machineInfo,
  parseArgsOrExit,
  mean,
  percentile,
  positiveInt,
  removeDir,
  renderTable,
  verdict,
  writeResults,
} from './bench-support';
import { measureRawBatchedInserts, measureRawSingleRowCommits } from './raw-sqlite.baseline';

const AIM_SEQUENTIAL = 0.6; // sequential commands/s >= 60% of raw single-row commits/s
const AIM_CONCURRENT = 1.0; // concurrent commands/s above raw single-row commits/s

const USAGE = `Usage: npm run bench:commands -- [options]
  --sequential N    CreateLead commands awaited one by one, over all rounds (default 5000)
  --concurrent N    CreateLead commands with --concurrency in flight, over all rounds (default 20000)
  --concurrency N   commands in flight in the concurrent phase (default 64)
  --baseline N      raw single-row commits, over all rounds (default 5000)
  --rounds N        baseline / sequential / concurrent rounds, interleaved (default 5)
  --warmup N        commands before measuring: a quarter sequential, the rest concurrent (default 2000)
  --batched N       raw batched inserts (1000 per transaction), for reference; 0 skips them (default 50000)
  --projector M     off (default: the write side alone, as in production where apps/projector runs the read side
                    in its own process) or embedded (the api's development default: the projector shares the process)
  --keep            keep the temporary data directory (its path is printed)`;

type Options = ReturnType<typeof options>;

function projectorMode(value: string | undefined): 'off' | 'embedded' {
  if (value === 'off' || value === 'embedded') return value;
  console.error(`--projector must be off or embedded, got ${JSON.stringify(value)}`);
  process.exit(2);
}

function options() {
  const { values } = parseArgsOrExit({
    options: {
      sequential: { type: 'string' },
      concurrent: { type: 'string' },
      concurrency: { type: 'string' },
      baseline: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      batched: { type: 'string' },
      projector: { type: 'string', default: 'off' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }, USAGE);
  return {
    sequential: positiveInt('sequential', values.sequential, 5000),
    concurrent: positiveInt('concurrent', values.concurrent, 20000),
    concurrency: positiveInt('concurrency', values.concurrency, 64),
    baseline: positiveInt('baseline', values.baseline, 5000),
    rounds: positiveInt('rounds', values.rounds, 5),
    warmup: positiveInt('warmup', values.warmup, 2000, 0),
    batched: positiveInt('batched', values.batched, 50000, 0),
    keep: values.keep ?? false,
    projector: projectorMode(values.projector),
  };
}

/** One new lead: the command LeadsController sends for POST /leads with a typical body. */
function createLeadCommand(i: number): ExecuteRecordCommand<LeadCommand, LeadState> {
  const leadId = randomUUID();
  const at = new Date().toISOString();
  const ctx: CommandContext = { actor: 'bench', correlationId: randomUUID(), causationId: randomUUID(), occurredAt: at };
  const command: CreateLead = {
    type: 'CreateLead',
    leadId,
    at,
    owner: 'user:bench',
    details: {
      firstName: 'Ada',
      lastName: `Lovelace ${i}`,
      company: 'Analytical Engines Ltd',
      title: 'Founder',
      email: `ada.${i}@example.com`,
      phone: null,
      source: 'Web Form',
      campaign: null,
      industry: 'Computing',
      rating: null,
    },
  };
  return new ExecuteRecordCommand(DEFAULT_RECORDS.lead, leadId, command, ctx);
}

/** One measured batch of commands. */
interface Batch {
  commands: number;
  seconds: number;
  latenciesMs: Float64Array;
  stats: AppendBatcherStats;
}

class CommandRunner {
  private next = 0;

  constructor(
    private readonly bus: CommandBus,
    private readonly store: SqliteEventStore,
  ) {}

  /** `total` CreateLead commands, never more than `inFlight` of them pending. */
  async run(total: number, inFlight: number): Promise<Batch> {
    const latenciesMs = new Float64Array(total);
    let issued = 0;
    const worker = async () => {
      while (issued < total) {
        const slot = issued++;
        const command = createLeadCommand(this.next++);
        const t0 = performance.now();
        const outcome = await this.bus.execute(command);
        latenciesMs[slot] = performance.now() - t0;
        if (outcome.revision !== 0 || outcome.appended[0] !== 'LeadCreated') {
          throw new Error(`unexpected outcome for lead ${command.id}: ${JSON.stringify(outcome)}`);
        }
      }
    };
    const before = this.store.stats();
    const started = performance.now();
    await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
    const seconds = (performance.now() - started) / 1000;
    const after = this.store.stats();
    return { commands: total, seconds, latenciesMs, stats: { commits: after.commits - before.commits, appends: after.appends - before.appends } };
  }
}

/** n split into `parts` near-equal positive shares. */
function split(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor((n * (i + 1)) / parts) - Math.floor((n * i) / parts)).filter((x) => x > 0);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The batches of one phase, summed: rate over the total time, latency percentiles over every command. */
function summarise(batches: readonly Batch[], baselinePerRound: readonly number[], inFlight: number, aim: number, strictlyAbove: boolean) {
  const commands = batches.reduce((a, b) => a + b.commands, 0);
  const seconds = batches.reduce((a, b) => a + b.seconds, 0);
  const commits = batches.reduce((a, b) => a + b.stats.commits, 0);
  const appends = batches.reduce((a, b) => a + b.stats.appends, 0);
  const all = new Float64Array(commands);
  let offset = 0;
  for (const b of batches) {
    all.set(b.latenciesMs, offset);
    offset += b.commands;
  }
  const sorted = Array.from(all.sort());
  const roundRatios = batches.map((b, i) => b.commands / b.seconds / baselinePerRound[i]);
  const ratio = median(roundRatios);
  return {
    commands,
    inFlight,
    seconds,
    perSecond: commands / seconds,
    perRound: batches.map((b) => b.commands / b.seconds),
    latencyMs: { mean: mean(sorted), p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] },
    commits,
    appends,
    appendsPerCommit: commits ? appends / commits : Number.NaN,
    roundRatios,
    ratioToBaseline: ratio,
    aim,
    pass: strictlyAbove ? ratio > aim : ratio >= aim,
  };
}

async function startApp(dataDir: string, projector: 'off' | 'embedded'): Promise<INestApplicationContext> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', PROJECTOR: projector });
  return NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['fatal', 'error', 'warn'] });
}

async function measure(opts: Options, root: string) {
  const rawDir = join(root, 'raw');
  mkdirSync(rawDir);
  const app = await startApp(join(root, 'app'), opts.projector);
  try {
    const bus = app.get(CommandBus);
    const store = app.get<SqliteEventStore>(SEALED_EVENT_STORE); // beneath the personal-data layer: the batcher's stats
    if (!(store instanceof SqliteEventStore)) throw new Error('the bench expects the SQLite event store');
    const runner = new CommandRunner(bus, store);

    if (opts.warmup > 0) {
      process.stdout.write('warm-up... ');
      measureRawSingleRowCommits(Math.min(500, opts.baseline), rawDir);
      await runner.run(Math.ceil(opts.warmup / 4), 1);
      await runner.run(Math.floor((opts.warmup * 3) / 4), opts.concurrency);
      console.log('done');
    }

    const baseline: number[] = [];
    const sequential: Batch[] = [];
    const concurrent: Batch[] = [];
    const [bs, ss, cs] = [split(opts.baseline, opts.rounds), split(opts.sequential, opts.rounds), split(opts.concurrent, opts.rounds)];
    const rounds = Math.min(bs.length, ss.length, cs.length);
    for (let r = 0; r < rounds; r++) {
      baseline.push(measureRawSingleRowCommits(bs[r], rawDir).perSecond);
      sequential.push(await runner.run(ss[r], 1));
      concurrent.push(await runner.run(cs[r], opts.concurrency));
      const last = (b: Batch[]) => formatRate(b[b.length - 1].commands / b[b.length - 1].seconds);
      console.log(`round ${r + 1}/${rounds}: raw ${formatRate(baseline[r])}, sequential ${last(sequential)}, ${opts.concurrency} in flight ${last(concurrent)}`);
    }
    return { baseline, baselineCommits: bs.slice(0, rounds), sequential, concurrent, totals: store.stats() };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const opts = options();
  const root = freshTempDir('pl-bench-commands-');
  const info = machineInfo();
  console.log(`Command bus bench: node ${info.node}, ${info.cpus} CPUs (${info.cpuModel}), data under ${root}`);
  console.log(
    `projector=${opts.projector} sequential=${opts.sequential} concurrent=${opts.concurrent} concurrency=${opts.concurrency} baseline=${opts.baseline} rounds=${opts.rounds} warmup=${opts.warmup}\n`,
  );

  try {
    const m = await measure(opts, root);
    let batched: number | null = null;
    if (opts.batched > 0) batched = measureRawBatchedInserts(opts.batched, join(root, 'raw')).perSecond;

    // Baseline over all rounds: total commits over total time.
    const rawSeconds = m.baseline.reduce((a, rate, i) => a + m.baselineCommits[i] / rate, 0);
    const raw = m.baselineCommits.reduce((a, b) => a + b, 0) / rawSeconds;
    const rawRange = [Math.min(...m.baseline), Math.max(...m.baseline)];
    const seq = summarise(m.sequential, m.baseline, 1, AIM_SEQUENTIAL, false);
    const con = summarise(m.concurrent, m.baseline, opts.concurrency, AIM_CONCURRENT, true);
    const range = (r: readonly number[]) => `${formatRatio(Math.min(...r))}-${formatRatio(Math.max(...r))}`;

    const rows: string[][] = [
      ['raw single-row commits (baseline)', formatRate(raw), '100%', '', '', '', '1.00', '', ''],
      [
        'CreateLead via CommandBus, sequential',
        formatRate(seq.perSecond),
        formatRatio(seq.ratioToBaseline),
        range(seq.roundRatios),
        formatMs(seq.latencyMs.p50),
        formatMs(seq.latencyMs.p99),
        seq.appendsPerCommit.toFixed(2),
        `>= ${formatRatio(AIM_SEQUENTIAL)}`,
        verdict(seq.pass),
      ],
      [
        `CreateLead via CommandBus, ${opts.concurrency} in flight`,
        formatRate(con.perSecond),
        formatRatio(con.ratioToBaseline),
        range(con.roundRatios),
        formatMs(con.latencyMs.p50),
        formatMs(con.latencyMs.p99),
        con.appendsPerCommit.toFixed(2),
        `> ${formatRatio(AIM_CONCURRENT)}`,
        verdict(con.pass),
      ],
      ...(batched !== null ? [['raw batched inserts (reference)', formatRate(batched, 'rows/s'), formatRatio(batched / raw), '', '', '', '1000', '', '']] : []),
    ];
    console.log('');
    console.log(renderTable(['measurement', 'rate', 'vs baseline', 'per round', 'p50', 'p99', 'appends/commit', 'aim', 'result'], rows));
    console.log(`\nbaseline per round: ${m.baseline.map((r) => formatRate(r)).join(', ')} (spread ${formatRatio(rawRange[1] / rawRange[0] - 1)})`);
    console.log(`store totals incl. warm-up: ${m.totals.commits} commits, ${m.totals.appends} appends`);

    const file = writeResults('command-bus', {
      bench: 'command-bus',
      finishedAt: new Date().toISOString(),
      machine: info,
      options: opts,
      baseline: { rawSingleRowCommitsPerSecond: raw, perRound: m.baseline, commitsPerRound: m.baselineCommits, rawBatchedInsertsPerSecond: batched },
      sequential: seq,
      concurrent: con,
      storeTotals: m.totals,
    });
    console.log(`results: ${file}`);
  } finally {
    if (opts.keep) console.log(`kept ${root}`);
    else removeDir(root);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
