/**
 * Queries while the projector works: the api with the projector in-process (PROJECTOR=embedded, what `npm start`
 * runs) answers an analytics query over and over
 *   1. while it catches up from an empty read-model file (a first start beside an existing event store),
 *   2. idle, caught up (the baseline),
 *   3. while POST /projections/rebuild rebuilds every projection into fresh tables;
 * all in the same run, on a copy of the same event store.
 *
 *   npm run bench:serving-rebuild -- [--data data/bench-1m] [--query PATH] [--baseline-seconds 3] [--pause-ms 20]
 *
 * --data is a directory with events.sqlite (`npm run bench:generate`); it is copied into a temp DATA_DIR. The api's
 * better-sqlite3 calls are synchronous, so a query waits for whatever step the event loop is in (a live batch, a
 * projection's rebuild page, a flush, one index at activation): the figures say how long that is.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_AUTH_ENV, benchAuthorization } from './support/bench-auth';
import { REPO_ROOT, formatMs, freePort, freshTempDir, machineInfo, parseArgsOrExit, percentile, positiveInt, removeDir, renderTable, writeResults } from './bench-support';

const HOST = '127.0.0.1';
const USAGE = `Usage: npm run bench:serving-rebuild -- [options]
  --data DIR              the directory of the events.sqlite to copy (default data/bench-1m)
  --query PATH            the query to repeat (default /analytics/pipeline?closeFrom=2026-01-15&closeTo=2026-06-10)
  --baseline-seconds N    idle querying before the rebuild (default 3)
  --pause-ms N            pause between an answer and the next query (default 20)`;

const AUTHORIZATION = benchAuthorization();

function fetch(port: number, path: string, method = 'GET'): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const req = request({ host: HOST, port, path, method, headers: { authorization: AUTHORIZATION, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, timeout: 120_000 }, (res) => {
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
  if (!existsSync(join(source, 'events.sqlite'))) {
    console.error(`${join(source, 'events.sqlite')} does not exist (see the header of bench/serving-rebuild.bench.ts)`);
    process.exit(2);
  }
  const baselineSeconds = positiveInt('baseline-seconds', values['baseline-seconds'], 3);
  const pauseMs = positiveInt('pause-ms', values['pause-ms'], 20, 0);
  const info = machineInfo();
  const dir = freshTempDir('pl-bench-serving-');
  let child: ChildProcess | null = null;
  try {
    copyFileSync(join(source, 'events.sqlite'), join(dir, 'events.sqlite'));
    const port = await freePort(HOST);
    console.log(`serving-rebuild bench: node ${info.node}, ${info.cpus} CPUs (${info.cpuModel}); api PROJECTOR=embedded on ${port}, data copied from ${source}`);
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dir, PORT: String(port), HOST, LOG_LEVEL: 'warn', PROJECTOR: 'embedded', ...BENCH_AUTH_ENV },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
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
    let checks = 0;
    /** Looks at GET /projections every fifth query only. */
    const every5th = (done: () => Promise<boolean>) => async () => ++checks % 5 === 0 && (await done());
    console.log(`${values.query}: during the first catch-up, ${baselineSeconds} s idle, then during POST /projections/rebuild\n`);

    // 1. The first start: the live projector builds the read models from the events, batch by batch.
    for (let deadline = Date.now() + 60_000; ; await sleep(100)) {
      if (Date.now() > deadline) throw new Error('the api did not start within a minute');
      if (await fetch(port, '/health').then((a) => a.status === 200, () => false)) break;
    }
    const catchUpStarted = performance.now(); // the projector started with the api, a moment before
    const catchUp = await run(every5th(async () => (await projections(port)).every((p) => p.lag === '0' && !p.rebuilding)));
    const catchUpSeconds = (performance.now() - catchUpStarted) / 1000;
    const generations = new Map((await projections(port)).map((p) => [p.name, p.active.generation]));

    // 2. Idle.
    const baselineEnd = performance.now() + baselineSeconds * 1000;
    const baseline = await run(() => performance.now() >= baselineEnd);

    // 3. A rebuild of everything.
    const rebuildStarted = performance.now();
    const accepted = await fetch(port, '/projections/rebuild', 'POST');
    if (accepted.status !== 202) throw new Error(`POST /projections/rebuild answered ${accepted.status}: ${accepted.body}`);
    const during = await run(every5th(async () => (await projections(port)).every((p) => !p.rebuilding && p.active.generation > (generations.get(p.name) ?? 0))));
    const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;

    const line = (name: string, r: { ms: number[]; failed: number }) => {
      const s = summary(r);
      return [name, String(s.answers), String(s.failed), formatMs(s.p50), formatMs(s.p90), formatMs(s.p99), formatMs(s.max)];
    };
    const rows = [line(`during the first catch-up (${catchUpSeconds.toFixed(0)} s)`, catchUp), line('idle (baseline)', baseline), line(`during the rebuild (${rebuildSeconds.toFixed(0)} s)`, during)];
    console.log(renderTable(['query', 'answers', 'failed', 'p50', 'p90', 'p99', 'max'], rows));
    const out = writeResults('serving-rebuild', {
      options: { data: source, query: values.query, baselineSeconds, pauseMs },
      machine: info,
      catchUpSeconds,
      catchUp: summary(catchUp),
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
