/**
 * Queries while a rebuild runs: the api with the projector in-process (PROJECTOR=embedded, what `npm start` runs)
 * answers an analytics query over and over, first idle (the baseline), then while POST /projections/rebuild rebuilds
 * every projection into fresh tables. Both in the same run, on copies of the same files.
 *
 *   npm run bench:serving-rebuild -- [--data data/bench-1m] [--query PATH] [--baseline-seconds 3] [--pause-ms 20]
 *
 * --data is a directory with events.sqlite and read-models.sqlite (make them with `npm run bench:generate` and
 * `npm run bench:rebuild -- --sizes 1000000 --keep-read-models data/bench-1m/read-models.sqlite`); both are copied
 * into a temp DATA_DIR. The api's better-sqlite3 calls are synchronous, so a query waits for whatever rebuild step the
 * event loop is in (a projection's page, a flush, one index at activation): the figures say how long that is.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT, formatMs, freePort, freshTempDir, machineInfo, parseArgsOrExit, percentile, positiveInt, removeDir, renderTable, writeResults } from './bench-support';

const HOST = '127.0.0.1';
const USAGE = `Usage: npm run bench:serving-rebuild -- [options]
  --data DIR              events.sqlite and read-models.sqlite to copy (default data/bench-1m)
  --query PATH            the query to repeat (default /analytics/pipeline?closeFrom=2026-01-15&closeTo=2026-06-10)
  --baseline-seconds N    idle querying before the rebuild (default 3)
  --pause-ms N            pause between an answer and the next query (default 20)`;

function fetch(port: number, path: string, method = 'GET'): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const req = request({ host: HOST, port, path, method, headers: method === 'POST' ? { 'content-type': 'application/json' } : {}, timeout: 120_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.once('end', () => resolvePromise({ status: res.statusCode ?? 0, body, ms: performance.now() - started }));
    });
    req.once('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ProjectionsAnswer {
  projections: Array<{ name: string; lag: string | null; active: { generation: number }; rebuilding: unknown }>;
}

async function projections(port: number): Promise<ProjectionsAnswer['projections']> {
  return (JSON.parse((await fetch(port, '/projections')).body) as ProjectionsAnswer).projections;
}

async function main(): Promise<void> {
  const { values } = parseArgsOrExit(
    {
      options: {
        data: { type: 'string', default: join('data', 'bench-1m') },
        query: { type: 'string', default: '/analytics/pipeline?closeFrom=2026-01-15&closeTo=2026-06-10' },
        'baseline-seconds': { type: 'string' },
        'pause-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    },
    USAGE,
  );
  const source = resolve(values.data!);
  for (const file of ['events.sqlite', 'read-models.sqlite']) {
    if (!existsSync(join(source, file))) {
      console.error(`${join(source, file)} does not exist (see the header of bench/serving-rebuild.bench.ts)`);
      process.exit(2);
    }
  }
  const baselineSeconds = positiveInt('baseline-seconds', values['baseline-seconds'], 3);
  const pauseMs = positiveInt('pause-ms', values['pause-ms'], 20, 0);
  const info = machineInfo();
  const dir = freshTempDir('pl-bench-serving-');
  let child: ChildProcess | null = null;
  try {
    for (const file of ['events.sqlite', 'read-models.sqlite']) copyFileSync(join(source, file), join(dir, file));
    const port = await freePort(HOST);
    console.log(`serving-rebuild bench: node ${info.node}, ${info.cpus} CPUs (${info.cpuModel}); api PROJECTOR=embedded on ${port}, data copied from ${source}`);
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dir, PORT: String(port), HOST, LOG_LEVEL: 'warn', PROJECTOR: 'embedded' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let deadline = Date.now() + 120_000; ; await sleep(200)) {
      if (Date.now() > deadline) throw new Error('the api did not start, or its projections did not catch up, within 2 minutes');
      try {
        const state = await projections(port);
        if (state.length && state.every((p) => p.lag === '0' && !p.rebuilding)) break;
      } catch {
        // not listening yet
      }
    }
    const generations = new Map((await projections(port)).map((p) => [p.name, p.active.generation]));

    const run = async (until: () => Promise<boolean> | boolean) => {
      const ms: number[] = [];
      let failed = 0;
      while (!(await until())) {
        const answer = await fetch(port, values.query!);
        if (answer.status === 200) ms.push(answer.ms);
        else failed++;
        await sleep(pauseMs);
      }
      return { ms, failed };
    };
    console.log(`${values.query}: ${baselineSeconds} s idle, then during POST /projections/rebuild (all projections)\n`);
    const baselineEnd = performance.now() + baselineSeconds * 1000;
    const baseline = await run(() => performance.now() >= baselineEnd);

    const rebuildStarted = performance.now();
    const accepted = await fetch(port, '/projections/rebuild', 'POST');
    if (accepted.status !== 202) throw new Error(`POST /projections/rebuild answered ${accepted.status}: ${accepted.body}`);
    let checks = 0;
    const during = await run(async () => {
      if (++checks % 5 !== 0) return false; // look at /projections every fifth query
      const state = await projections(port);
      return state.every((p) => !p.rebuilding && p.active.generation > (generations.get(p.name) ?? 0));
    });
    const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;

    const line = (name: string, r: { ms: number[]; failed: number }) => {
      const s = summary(r);
      return [name, String(s.answers), String(s.failed), formatMs(s.p50), formatMs(s.p90), formatMs(s.p99), formatMs(s.max)];
    };
    console.log(renderTable(['query', 'answers', 'failed', 'p50', 'p90', 'p99', 'max'], [line('idle (baseline)', baseline), line(`during the rebuild (${rebuildSeconds.toFixed(0)} s)`, during)]));
    const out = writeResults('serving-rebuild', {
      options: { data: source, query: values.query, baselineSeconds, pauseMs },
      machine: info,
      rebuildSeconds,
      baseline: summary(baseline),
      during: summary(during),
    });
    console.log(`results: ${out}`);
  } finally {
    child?.kill('SIGTERM');
    await sleep(500);
    removeDir(dir);
  }
}

function summary(r: { ms: number[]; failed: number }) {
  const sorted = [...r.ms].sort((a, b) => a - b);
  return { answers: r.ms.length, failed: r.failed, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
