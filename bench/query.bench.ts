/**
 * Latency of the analytics queries (store.sum + the pure answer function, as the api's controllers call them, no
 * HTTP) over rebuilt read models, beside a trivial query on the same SQLite read-model file in the same run.
 *
 *   npm run bench:query -- [--read-models FILE[,FILE]] [--iterations 200] [--warmup 20] [--max-seconds 20] [--keep]
 *
 * --read-models defaults to data/bench-1m/read-models.sqlite (a rebuild of the 1M-event store; make one with
 * `npm run bench:rebuild -- --sizes 1000000 --keep-read-models data/bench-1m/read-models.sqlite`). Each file is
 * copied into a temp dir first (opening a store may refresh its statistics), then for each file, per case: warm-up,
 * then --iterations timed calls, one after the other. Cases:
 *   pipeline by stage: no filter; one owner (the busiest); a window of close dates (the middle quarter of them),
 *   without and with the owner;
 *   conversion rates grouped by source, and by cohort month, each on the cohort and on the period basis (no window),
 *   and with a window that cuts months at both ends; grouped by owner (counters by owner), and by owner and source
 *   (the full-detail counters: source x owner x campaign), each without and with that window;
 *   baselines: store.find on lead_list by email (indexed, limit 1: a point lookup through the store) and a raw
 *   `SELECT 1` on another better-sqlite3 connection to the same file (the floor of any call).
 * Several files (e.g. the 100k-event and 1M-event rebuilds) show whether the cost grows with the number of leads.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_STAGE_CATALOGUE } from '@pipeline-ledger/domain';
import {
  CONVERSION_COHORTS,
  CONVERSION_COHORTS_BY_SOURCE_MONTHLY,
  ConversionRatesParams,
  LEAD_LIST,
  PIPELINE_BUCKETS,
  PipelineParams,
  SqliteReadModelStore,
  conversionRatesAnswer,
  conversionRatesQuery,
  pipelineAnswer,
  pipelineQuery,
  runSumPlan,
} from '@pipeline-ledger/read-models';
import {
  REPO_ROOT,
  formatMs,
  freshTempDir,
  machineInfo,
  parseArgsOrExit,
  percentile,
  positiveInt,
  removeDir,
  renderTable,
  verdict,
  writeResults,
} from './bench-support';

const AIM_P99_MS = 10;
const DEFAULT_FILE = join(REPO_ROOT, 'data', 'bench-1m', 'read-models.sqlite');

const USAGE = `Usage: npm run bench:query -- [options]
  --read-models F[,F]  read-model files to query (default data/bench-1m/read-models.sqlite); each is copied first
  --iterations N       timed calls per case (default 200)
  --warmup N           untimed calls per case first (default 20, at most 2 s)
  --max-seconds S      stop a case's timed calls after S seconds, with at least 30 calls (default 20)
  --keep               keep the temporary copies (their paths are printed)`;

interface CaseResult {
  name: string;
  baseline: boolean;
  iterations: number;
  rows: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  pass: boolean | null;
}

let maxSeconds = 20;
const MIN_ITERATIONS = 30;

/** Warm-up (at most 2 s), then `iterations` timed calls, or fewer (not under 30) when they take over maxSeconds. */
async function timeCase(name: string, fn: () => Promise<number> | number, iterations: number, warmup: number, baseline = false): Promise<CaseResult> {
  let rows = 0;
  const warmEnd = performance.now() + 2000;
  for (let i = 0; i < warmup && performance.now() < warmEnd; i++) rows = await fn();
  const ms: number[] = [];
  const end = performance.now() + maxSeconds * 1000;
  for (let i = 0; i < iterations && (i < MIN_ITERATIONS || performance.now() < end); i++) {
    const t = performance.now();
    rows = await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const p99 = percentile(ms, 99);
  return { name, baseline, iterations: ms.length, rows, p50: percentile(ms, 50), p90: percentile(ms, 90), p99, max: ms[ms.length - 1], pass: baseline ? null : p99 < AIM_P99_MS };
}

async function benchFile(file: string, iterations: number, warmup: number) {
  const store = new SqliteReadModelStore({ filename: file });
  const raw = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const leads = (await store.find(LEAD_LIST, { limit: 0 })).total;
    // Parameters drawn from the data: the busiest owner, the middle quarter of the close dates, one email.
    const owners = await store.sum(PIPELINE_BUCKETS, { groupBy: ['owner'], sum: [] });
    const owner = String([...owners].sort((a, b) => b.documents - a.documents)[0]?.['owner']);
    const days = (await store.sum(PIPELINE_BUCKETS, { groupBy: ['closeDate'], sum: [] })).map((r) => String(r['closeDate'])).sort();
    const closeFrom = days[Math.floor(days.length * 0.375)];
    const closeTo = days[Math.floor(days.length * 0.625)];
    const email = String((await store.find(LEAD_LIST, { filters: [{ field: 'email', op: 'gt', value: '' }], limit: 1, sort: [{ field: 'createdAt', direction: 'desc' }] })).documents[0]?.['email']);
    const cohorts = (await store.find(CONVERSION_COHORTS, { limit: 0 })).total;
    // A conversion window that cuts months: from the 15th of the month a quarter into the data to the 10th of the
    // month three quarters in, so that it reads whole months and the days of both partial ends.
    const months = (await store.sum(CONVERSION_COHORTS_BY_SOURCE_MONTHLY, { groupBy: ['month'], sum: [] })).map((r) => String(r['month'])).sort();
    const from = `${months[Math.floor(months.length * 0.25)]}-15`;
    const to = `${months[Math.floor(months.length * 0.75)]}-10`;
    const buckets = (await store.find(PIPELINE_BUCKETS, { limit: 0 })).total;

    const stages = DEFAULT_STAGE_CATALOGUE.stages;
    const pipeline = (params: PipelineParams) => async () => {
      const answer = pipelineAnswer(await runSumPlan(store, pipelineQuery(params)), params, stages);
      return answer.stages.length;
    };
    const conversion = (params: ConversionRatesParams) => async () => {
      const answer = conversionRatesAnswer(await runSumPlan(store, conversionRatesQuery(params)), params);
      return answer.groups.length;
    };
    const selectOne = raw.prepare('SELECT 1');
    const cases: Array<[string, () => Promise<number> | number, boolean]> = [
      ['raw SELECT 1, same file (floor)', () => (selectOne.get() ? 1 : 0), true],
      ['store.find lead_list by email, limit 1 (baseline)', async () => (await store.find(LEAD_LIST, { filters: [{ field: 'email', op: 'eq', value: email }], limit: 1 })).documents.length, true],
      ['pipeline by stage, no filter', pipeline({}), false],
      [`pipeline by stage, owner=${owner}`, pipeline({ owner }), false],
      [`pipeline by stage, close ${closeFrom}..${closeTo}`, pipeline({ closeFrom, closeTo }), false],
      ['conversion by source, cohort basis', conversion({ basis: 'cohort', groupBy: ['source'] }), false],
      ['conversion by source, period basis', conversion({ basis: 'period', groupBy: ['source'] }), false],
      ['conversion by cohort month, cohort basis', conversion({ basis: 'cohort', groupBy: ['cohortMonth'] }), false],
      ['conversion by cohort month, period basis', conversion({ basis: 'period', groupBy: ['cohortMonth'] }), false],
      [`pipeline by stage, owner=${owner}, close ${closeFrom}..${closeTo}`, pipeline({ owner, closeFrom, closeTo }), false],
      [`conversion by source, cohort basis, ${from}..${to}`, conversion({ basis: 'cohort', groupBy: ['source'], from, to }), false],
      [`conversion by cohort month, period basis, ${from}..${to}`, conversion({ basis: 'period', groupBy: ['cohortMonth'], from, to }), false],
      ['conversion by owner, cohort basis', conversion({ basis: 'cohort', groupBy: ['owner'] }), false],
      [`conversion by owner, cohort basis, ${from}..${to}`, conversion({ basis: 'cohort', groupBy: ['owner'], from, to }), false],
      ['conversion by owner x source, cohort basis (full detail)', conversion({ basis: 'cohort', groupBy: ['owner', 'source'] }), false],
      [`conversion by owner x source, cohort basis (full detail), ${from}..${to}`, conversion({ basis: 'cohort', groupBy: ['owner', 'source'], from, to }), false],
    ];
    const results: CaseResult[] = [];
    for (const [name, fn, baseline] of cases) {
      const started = performance.now();
      const r = await timeCase(name, fn, iterations, warmup, baseline);
      results.push(r);
      console.log(`  ${name}: p50 ${formatMs(r.p50)}, p99 ${formatMs(r.p99)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    return { leads, pipelineBuckets: buckets, conversionCohorts: cohorts, params: { owner, closeFrom, closeTo, email, from, to }, results };
  } finally {
    raw.close();
    await store.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgsOrExit(
    {
      options: {
        'read-models': { type: 'string' },
        iterations: { type: 'string' },
        warmup: { type: 'string' },
        'max-seconds': { type: 'string' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    },
    USAGE,
  );
  const files = (values['read-models'] ?? DEFAULT_FILE).split(',').map((f) => resolve(f.trim()));
  for (const f of files) {
    if (!existsSync(f)) {
      console.error(`${f} does not exist: npm run bench:rebuild -- --sizes 1000000 --keep-read-models ${f}`);
      process.exit(2);
    }
  }
  const iterations = positiveInt('iterations', values.iterations, 200);
  const warmup = positiveInt('warmup', values.warmup, 20, 0);
  maxSeconds = positiveInt('max-seconds', values['max-seconds'], 20);
  const info = machineInfo();
  console.log(`query bench: node ${info.node}, ${info.cpus} CPUs (${info.cpuModel}); ${warmup} warm-up + ${iterations} timed calls per case\n`);

  const started = performance.now();
  const dir = freshTempDir('pl-bench-query-');
  const perFile: Array<{ file: string; fileMiB: number } & Awaited<ReturnType<typeof benchFile>>> = [];
  try {
    for (const [i, f] of files.entries()) {
      const copy = join(dir, `${i}-${basename(f)}`);
      copyFileSync(f, copy);
      console.log(`${f} (${(statSync(f).size / 2 ** 20).toFixed(0)} MiB):`);
      perFile.push({ file: f, fileMiB: Math.round(statSync(f).size / 2 ** 20), ...(await benchFile(copy, iterations, warmup)) });
    }
  } finally {
    if (values.keep) console.log(`kept: ${dir}`);
    else removeDir(dir);
  }

  for (const r of perFile) {
    const floor = r.results.find((c) => c.name.endsWith('(baseline)'))!;
    const rows = r.results.map((c) => [
      c.name,
      String(c.iterations),
      String(c.rows),
      formatMs(c.p50),
      formatMs(c.p90),
      formatMs(c.p99),
      formatMs(c.max),
      c.name.endsWith('(floor)') ? '' : `x${(c.p50 / floor.p50).toFixed(c.p50 / floor.p50 >= 10 ? 0 : 1)}`,
      c.baseline ? '' : `< ${AIM_P99_MS} ms`,
      c.pass === null ? '' : verdict(c.pass),
    ]);
    console.log(
      `\n${r.file}: ${r.leads.toLocaleString('en-US')} leads, ${r.pipelineBuckets.toLocaleString('en-US')} pipeline buckets, ` +
        `${r.conversionCohorts.toLocaleString('en-US')} cohort counters`,
    );
    console.log(renderTable(['query', 'calls', 'rows', 'p50', 'p90', 'p99', 'max', 'p50 vs baseline', 'aim', 'result'], rows));
  }
  if (perFile.length > 1) {
    const [a, b] = [perFile[0], perFile[perFile.length - 1]];
    console.log(`\np50 growth from ${a.leads.toLocaleString('en-US')} to ${b.leads.toLocaleString('en-US')} leads (x${(b.leads / a.leads).toFixed(1)}):`);
    console.log(
      renderTable(
        ['query', `p50 ${a.leads.toLocaleString('en-US')} leads`, `p50 ${b.leads.toLocaleString('en-US')} leads`, 'growth'],
        a.results.map((c, i) => [genericName(c.name), formatMs(c.p50), formatMs(b.results[i].p50), `x${(b.results[i].p50 / c.p50).toFixed(1)}`]),
      ),
    );
  }
  console.log(`\nbench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const out = writeResults('query', { options: { files, iterations, warmup, maxSeconds }, machine: info, aim: { p99Ms: AIM_P99_MS }, files: perFile });
  console.log(`results: ${out}`);
}

/** A case's name without the values drawn from one file's data, to line cases up across files. */
function genericName(name: string): string {
  return name
    .replace(/owner=[^,\s]+/, 'one owner')
    .replace(/close \S+\.\.\S+/, 'close window')
    .replace(/\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}/, 'window');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
