/**
 * Rebuild throughput of every projection (ProjectorRunner, follow: false, rebuild()) beside the raw read-and-parse
 * rate of the same event file, measured in the same run; and the peak RSS of the rebuild, to show whether memory
 * grows with the number of events.
 *
 *   npm run bench:rebuild -- [--sizes 100000[,1000000]] [--store data/bench-1m/events.sqlite] [--seed 42]
 *                            [--batch 5000] [--keep-read-models FILE] [--cpu-prof] [--keep]
 *
 * Each size runs in a child process of its own (the same file with --one), so its peak RSS is its own:
 *   1. the event store: --store (copied into a temp dir, never written), or the 1M file for size 1,000,000 when it
 *      exists (copied), or generated with bench/support/generate.ts into a temp dir (seed --seed);
 *   2. in the child: warm the page cache (a read without parse), raw read-and-parse (measureRawReadAndParse, the
 *      baseline), the rebuild of ALL_PROJECTIONS into a fresh read-model file, raw read-and-parse again; the
 *      baseline is the mean of the two raw rates around the rebuild.
 * RSS is sampled every 100 ms by a worker thread (the rebuild is synchronous better-sqlite3 work, so a timer on the
 * main thread would not fire during it) and at every rebuild page (onProgress).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { SqliteEventStore } from '@pipeline-ledger/event-store';
import { ALL_PROJECTIONS, ProjectorRunner, SqliteReadModelStore } from '@pipeline-ledger/read-models';
import {
  REPO_ROOT,
  RESULTS_DIR,
  formatRate,
  formatRatio,
  freshTempDir,
  machineInfo,
  parseArgsOrExit,
  positiveInt,
  removeDir,
  renderTable,
  verdict,
  writeResults,
} from './bench-support';
import { measureRawReadAndParse } from './support/raw-read.baseline';

const AIM_RATIO = 0.5; // rebuild events/s >= 50% of raw read-and-parse events/s
const ONE_MILLION_FILE = join(REPO_ROOT, 'data', 'bench-1m', 'events.sqlite');

const USAGE = `Usage: npm run bench:rebuild -- [options]
  --sizes N[,N]        event counts to rebuild, one child process each (default 100000); 1000000 uses
                       data/bench-1m/events.sqlite (copied) when it exists, other sizes are generated into a temp dir
  --store FILE         rebuild this event store instead (copied into a temp dir first; --sizes is ignored)
  --seed N             generator seed for generated stores (default 42)
  --batch N            rebuildBatchSize: events read from the store per page (default 5000, the runner's)
  --keep-read-models F copy the rebuilt read-model file of the last size to F (for bench:query)
  --cpu-prof           run each child with node --cpu-prof (profile in bench/results/, slows it down)
  --keep               keep the temporary directories (their paths are printed)`;

interface OneResult {
  events: number;
  fileMiB: number;
  raw: { before: number; after: number; mean: number };
  rebuild: { seconds: number; eventsPerSecond: number };
  ratio: number;
  rss: { beforeMiB: number; peakMiB: number; afterMiB: number; samples: number };
  readModelsMiB: number;
  readModelsFile: string;
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

// ---------------------------------------------------------------- child: one store

async function runOne(file: string, workDir: string, batch: number): Promise<OneResult> {
  // Peak RSS from another thread: process.memoryUsage().rss is the whole process's.
  const sampler = new Worker(
    `const { parentPort } = require('node:worker_threads');
     let peak = process.memoryUsage().rss, samples = 1;
     const timer = setInterval(() => { const r = process.memoryUsage().rss; if (r > peak) peak = r; samples++; }, 100);
     parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); parentPort.postMessage({ peak, samples }); } });`,
    { eval: true },
  );
  const stopSampler = () =>
    new Promise<{ peak: number; samples: number }>((res) => {
      sampler.once('message', (m: { peak: number; samples: number }) => res(m));
      sampler.postMessage('stop');
    });

  measureRawReadAndParse(file, { parse: false }); // page cache warm: both sides read from memory
  const rawBefore = measureRawReadAndParse(file);
  global.gc?.();

  const readModelsFile = join(workDir, 'read-models.sqlite');
  const events = new SqliteEventStore({ filename: file });
  const store = new SqliteReadModelStore({ filename: readModelsFile });
  const runner = new ProjectorRunner(events, store, ALL_PROJECTIONS, { follow: false, rebuildBatchSize: batch });
  const rssBefore = process.memoryUsage().rss;
  let peakOnProgress = rssBefore;
  let count = 0;
  let lastPrint = performance.now();
  const started = performance.now();
  // rebuild() alone, as the CLI runs it (start() would begin the same rebuild itself: nothing is built yet).
  await runner.rebuild(undefined, (p) => {
    count = p.events;
    const rss = process.memoryUsage().rss;
    if (rss > peakOnProgress) peakOnProgress = rss;
    const now = performance.now();
    if (now - lastPrint > 5000) {
      lastPrint = now;
      process.stderr.write(`  ${p.events.toLocaleString('en-US')} events, ${formatRate(p.events / ((now - started) / 1000), 'events/s')}, rss ${mib(rss)} MiB\n`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const sampled = await stopSampler();
  await sampler.terminate();
  const rssAfter = process.memoryUsage().rss;
  await runner.stop();
  await store.close();
  await events.close();

  const rawAfter = measureRawReadAndParse(file);
  const rawMean = (rawBefore.eventsPerSecond + rawAfter.eventsPerSecond) / 2;
  const rebuildRate = count / seconds;
  return {
    events: count,
    fileMiB: mib(statSync(file).size),
    raw: { before: rawBefore.eventsPerSecond, after: rawAfter.eventsPerSecond, mean: rawMean },
    rebuild: { seconds, eventsPerSecond: rebuildRate },
    ratio: rebuildRate / rawMean,
    rss: { beforeMiB: mib(rssBefore), peakMiB: mib(Math.max(sampled.peak, peakOnProgress)), afterMiB: mib(rssAfter), samples: sampled.samples },
    readModelsMiB: mib(statSync(readModelsFile).size),
    readModelsFile,
  };
}

// ---------------------------------------------------------------- parent

const tsNode = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

function run(args: string[], captureStdout: boolean): Promise<string> {
  return new Promise((res, rej) => {
    const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', captureStdout ? 'pipe' : 'inherit', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', rej);
    child.once('exit', (code) => (code === 0 ? res(out) : rej(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

async function prepareStore(size: number | null, storeOpt: string | undefined, seed: number, dir: string): Promise<{ file: string; source: string }> {
  const file = join(dir, 'events.sqlite');
  if (storeOpt || (size === 1_000_000 && seed === 42 && existsSync(ONE_MILLION_FILE))) {
    const from = resolve(storeOpt ?? ONE_MILLION_FILE);
    if (!existsSync(from)) throw new Error(`${from} does not exist`);
    copyFileSync(from, file); // the original is never opened for writing
    return { file, source: `copy of ${from}` };
  }
  console.log(`generating ${size!.toLocaleString('en-US')} events (seed ${seed}) into ${file} ...`);
  await run([...tsNode, 'bench/support/generate.ts', '--events', String(size), '--out', file, '--seed', String(seed)], true);
  return { file, source: `generated, seed ${seed}` };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--one') {
    const [, file, workDir, batch] = argv;
    const result = await runOne(file, workDir, Number(batch));
    process.stdout.write(`\n@@RESULT ${JSON.stringify(result)}\n`);
    return;
  }
  const { values } = parseArgsOrExit(
    {
      options: {
        sizes: { type: 'string' },
        store: { type: 'string' },
        seed: { type: 'string' },
        batch: { type: 'string' },
        'keep-read-models': { type: 'string' },
        'cpu-prof': { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    },
    USAGE,
  );
  const sizes = values.store ? [null] : (values.sizes ?? '100000').split(',').map((s) => positiveInt('sizes', s.trim(), 0));
  const seed = Number(values.seed ?? 42);
  const batch = positiveInt('batch', values.batch, 5000);
  const info = machineInfo();
  console.log(`rebuild bench: node ${info.node}, ${info.cpus} CPUs (${info.cpuModel}); ${ALL_PROJECTIONS.length} projections, batch ${batch}\n`);

  const runs: Array<OneResult & { size: number | null; source: string; wallSeconds: number }> = [];
  const dirs: string[] = [];
  try {
    for (const size of sizes) {
      const dir = freshTempDir('pl-bench-rebuild-');
      dirs.push(dir);
      const wall = performance.now();
      const { file, source } = await prepareStore(size, values.store, seed, dir);
      console.log(`rebuilding ${file} (${source}) ...`);
      const prof = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${RESULTS_DIR}`] : [];
      const out = await run([...prof, '--expose-gc', ...tsNode, __filename, '--one', file, dir, String(batch)], true);
      const line = out.split('\n').find((l) => l.startsWith('@@RESULT '));
      if (!line) throw new Error(`the child printed no result:\n${out}`);
      const result = JSON.parse(line.slice('@@RESULT '.length)) as OneResult;
      runs.push({ ...result, size, source, wallSeconds: (performance.now() - wall) / 1000 });
      console.log(
        `  ${result.events.toLocaleString('en-US')} events: rebuild ${formatRate(result.rebuild.eventsPerSecond, 'events/s')} ` +
          `(${result.rebuild.seconds.toFixed(1)} s), raw ${formatRate(result.raw.mean, 'events/s')}, peak rss ${result.rss.peakMiB} MiB`,
      );
      if (values['keep-read-models'] && size === sizes[sizes.length - 1]) {
        copyFileSync(result.readModelsFile, resolve(values['keep-read-models']));
        console.log(`  read models copied to ${resolve(values['keep-read-models'])}`);
      }
    }
  } finally {
    if (values.keep) console.log(`kept: ${dirs.join(', ')}`);
    else dirs.forEach(removeDir);
  }

  const rows: string[][] = [];
  for (const r of runs) {
    const n = r.events.toLocaleString('en-US');
    rows.push([`raw read + JSON.parse, ${n} events (baseline)`, formatRate(r.raw.mean, 'events/s'), '100%', `${Math.round(r.raw.before).toLocaleString('en-US')} / ${Math.round(r.raw.after).toLocaleString('en-US')}`, '', '', '', '', '']);
    rows.push([
      `rebuild ALL_PROJECTIONS, ${n} events`,
      formatRate(r.rebuild.eventsPerSecond, 'events/s'),
      formatRatio(r.ratio),
      '',
      `${r.rebuild.seconds.toFixed(1)} s`,
      `${r.rss.beforeMiB} -> ${r.rss.peakMiB} MiB`,
      `${r.readModelsMiB} MiB`,
      `>= ${formatRatio(AIM_RATIO)}`,
      verdict(r.ratio >= AIM_RATIO),
    ]);
  }
  console.log(`\n${renderTable(['measurement', 'rate', 'vs raw', 'raw before/after', 'time', 'rss start -> peak', 'read models', 'aim', 'result'], rows)}\n`);
  if (runs.length > 1) {
    const [a, b] = [runs[0], runs[runs.length - 1]];
    console.log(
      `peak RSS ${a.rss.peakMiB} MiB at ${a.events.toLocaleString('en-US')} events, ${b.rss.peakMiB} MiB at ${b.events.toLocaleString('en-US')} ` +
        `(x${(b.events / a.events).toFixed(1)} events, x${(b.rss.peakMiB / a.rss.peakMiB).toFixed(2)} RSS)`,
    );
  }
  const file = writeResults(values['cpu-prof'] ? 'rebuild-cpu-prof' : 'rebuild', {
    options: { sizes, store: values.store ?? null, seed, batch, cpuProf: values['cpu-prof'] },
    machine: info,
    aim: { ratioToRaw: AIM_RATIO },
    runs: runs.map(({ readModelsFile: _unused, ...r }) => ({ ...r, pass: r.ratio >= AIM_RATIO })),
  });
  console.log(`results: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
