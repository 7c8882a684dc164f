/**
 * POST /leads over HTTP under load, beside a trivial NestJS endpoint measured in the same run.
 *
 *   npm run bench:http -- [--duration 10] [--warmup 3] [--connections 64] [--server source|dist] [--cpu-prof]
 *
 * Each server runs in a child process, one at a time, so that autocannon (in this process) has a core of its own:
 *   trivial  bench/trivial-app.ts: POST /ping, same Express adapter and JSON body parser (configureApp);
 *   api      apps/api/src/main.ts, the real service, on a fresh temporary DATA_DIR: POST /leads, every request
 *            creating a new lead (a durable, fsynced event append).
 * Both get the same JSON body and headers. For each: wait until it answers, warm up, then load it for --duration s
 * with --connections connections on loopback (no pipelining).
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { BENCH_AUTH_ENV, benchAuthorization } from './support/bench-auth';
import {
  REPO_ROOT,
  freePort,
  RESULTS_DIR,
  formatMs,
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

const AIM_RATIO = 0.4; // api req/s >= 40% of the trivial endpoint's
const AIM_P99_MS = 50; // api p99 latency below 50 ms
const HOST = '127.0.0.1';

const LEAD_BODY = JSON.stringify({
  firstName: 'Ada',
  lastName: 'Lovelace',
  company: 'Analytical Engines Ltd',
  title: 'Founder',
  email: 'ada@example.com',
  source: 'Web Form',
  industry: 'Computing',
});
/** The api authenticates every request (an HS256 JWT: the verification is part of what POST /leads costs); the trivial app ignores it. */
const HEADERS = { 'content-type': 'application/json', authorization: benchAuthorization() };

const USAGE = `Usage: npm run bench:http -- [options]
  --duration S      seconds of measured load per server (default 10)
  --warmup S        seconds of unmeasured load per server first (default 3)
  --connections N   concurrent connections (default 64)
  --projector M     off (default: the write side alone, the production topology where apps/projector runs apart)
                    or embedded (the development default: the projector runs inside the api)
  --server KIND     source: apps/api/src/main.ts through ts-node (default, works on a fresh clone);
                    dist: dist/apps/api/src/main.js (run "npm run build" first)
  --cpu-prof        write a CPU profile of each server's measured load to bench/results/<server>.cpuprofile
  --keep            keep the API's temporary data directory (its path is printed)`;

function options() {
  const { values } = parseArgsOrExit({
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      server: { type: 'string', default: 'source' },
      projector: { type: 'string', default: 'off' },
      'cpu-prof': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }, USAGE);
  if (values.projector !== 'off' && values.projector !== 'embedded') {
    console.error(`--projector must be off or embedded, got ${JSON.stringify(values.projector)}`);
    process.exit(2);
  }
  if (values.server !== 'source' && values.server !== 'dist') {
    console.error(`--server must be source or dist, got ${JSON.stringify(values.server)}`);
    process.exit(2);
  }
  return {
    duration: positiveInt('duration', values.duration, 10),
    warmup: positiveInt('warmup', values.warmup, 3, 0),
    connections: positiveInt('connections', values.connections, 64),
    server: values.server as 'source' | 'dist',
    projector: values.projector as 'off' | 'embedded',
    cpuProf: values['cpu-prof'] ?? false,
    keep: values.keep ?? false,
  };
}
type Options = ReturnType<typeof options>;

// ------------------------------------------------------------------------------------------------- child servers

const children = new Set<ChildProcess>();

interface Server {
  name: string;
  port: number;
  child: ChildProcess;
  /** The child's last lines of output, shown when it fails. */
  output: () => string;
}


function startServer(name: string, entry: string[], env: NodeJS.ProcessEnv, port: number, profileTo: string | null): Server {
  // The hook is TypeScript: register ts-node for it when the entry does not already.
  const hook = entry.includes('ts-node/register/transpile-only') ? [] : ['-r', 'ts-node/register/transpile-only'];
  const nodeArgs = profileTo ? [...hook, '-r', './bench/cpu-profile-hook.ts'] : [];
  const child = spawn(process.execPath, [...entry.slice(0, -1), ...nodeArgs, entry[entry.length - 1]], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST,
      ...(profileTo ? { BENCH_CPU_PROF_FILE: profileTo } : {}),
    },
    stdio: profileTo ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, port, child, output: () => lines.join('\n') };
}

/** Resolves with the status of one request; rejects on a connection error. */
function probe(port: number, method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method, path, headers: body ? HEADERS : {}, timeout: 2000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end(body);
  });
}

async function waitUntilServing(server: Server, method: string, path: string, body: string | undefined, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`${server.name} exited (${server.child.exitCode ?? server.child.signalCode}) before serving:\n${server.output()}`);
    }
    try {
      const status = await probe(server.port, method, path, body);
      if (status >= 200 && status < 300) return;
      throw new Error(`${server.name} answered ${method} ${path} with ${status}:\n${server.output()}`);
    } catch (error) {
      if (error instanceof Error && /answered/.test(error.message)) throw error;
      if (Date.now() > deadline) throw new Error(`${server.name} did not answer within ${timeoutMs} ms:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function stopServer(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Asks a server started with a profile file to start or stop profiling (see cpu-profile-hook.ts). */
async function profiler(server: Server, command: 'start' | 'stop'): Promise<void> {
  server.child.send(`cpu-profile:${command}`);
  if (command === 'start') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${server.name} wrote no CPU profile`)), 30_000);
    server.child.on('message', (m) => {
      if (m === 'cpu-profile:written') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

// ------------------------------------------------------------------------------------------------- load

interface LoadResult {
  requestsPerSecond: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; p99_9: number; max: number };
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
}

async function load(port: number, path: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://${HOST}:${port}${path}`,
    method: 'POST',
    headers: HEADERS,
    body: LEAD_BODY,
    connections,
    pipelining: 1,
    duration: seconds,
  });
}

function summarise(r: autocannon.Result): LoadResult {
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return {
    requestsPerSecond: r.requests.average,
    latencyMs: { mean: r.latency.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, p99_9: r.latency.p99_9, max: r.latency.max },
    requests: r.requests.total,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    durationSeconds: r.duration,
  };
}

interface Target {
  name: 'trivial' | 'api';
  label: string;
  entry: string[];
  env: NodeJS.ProcessEnv;
  path: string;
  ready: { method: string; path: string; body?: string };
}

async function measureTarget(target: Target, opts: Options): Promise<{ result: LoadResult; warmup2xx: number; server: Server; profile: string | null }> {
  const port = await freePort(HOST);
  const profile = opts.cpuProf ? join(RESULTS_DIR, `${target.name}.cpuprofile`) : null;
  if (profile) mkdirSync(RESULTS_DIR, { recursive: true });
  const server = startServer(target.name, target.entry, target.env, port, profile);
  try {
    process.stdout.write(`${target.label}: starting... `);
    const t0 = Date.now();
    await waitUntilServing(server, target.ready.method, target.ready.path, target.ready.body);
    process.stdout.write(`up in ${((Date.now() - t0) / 1000).toFixed(1)} s; `);
    let warmup2xx = 0;
    if (opts.warmup > 0) {
      process.stdout.write(`warm-up ${opts.warmup} s... `);
      warmup2xx = (await load(port, target.path, opts.warmup, opts.connections))['2xx'];
    }
    process.stdout.write(`measuring ${opts.duration} s... `);
    if (profile) await profiler(server, 'start');
    const result = summarise(await load(port, target.path, opts.duration, opts.connections));
    if (profile) await profiler(server, 'stop');
    console.log(`${formatRate(result.requestsPerSecond, 'req/s')}, p99 ${formatMs(result.latencyMs.p99)}`);
    return { result, warmup2xx, server, profile };
  } catch (error) {
    await stopServer(server);
    throw error;
  }
}

/** How many events the API's store holds (its /health head position), to check every 2xx really created a lead. */
async function storedEvents(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request({ host: HOST, port, path: '/health', timeout: 5000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        try {
          const head = (JSON.parse(text) as { eventStore?: { headPosition?: string | null } }).eventStore?.headPosition;
          resolve(head == null ? 0 : Number(head));
        } catch {
          resolve(null);
        }
      });
    });
    req.once('error', () => resolve(null));
    req.end();
  });
}

async function main(): Promise<void> {
  const opts = options();
  const info = machineInfo();
  const dataDir = freshTempDir('pl-bench-http-');
  const tsNode = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];
  const distMain = join('dist', 'apps', 'api', 'src', 'main.js');
  if (opts.server === 'dist' && !existsSync(join(REPO_ROOT, distMain))) {
    console.error(`${distMain} not found: run "npm run build" first, or use --server source`);
    process.exit(2);
  }
  const targets: Target[] = [
    {
      name: 'trivial',
      label: 'trivial POST /ping',
      entry: [...tsNode, 'bench/trivial-app.ts'],
      env: {},
      path: '/ping',
      ready: { method: 'POST', path: '/ping', body: LEAD_BODY },
    },
    {
      name: 'api',
      label: 'api POST /leads',
      entry: opts.server === 'dist' ? [distMain] : [...tsNode, 'apps/api/src/main.ts'],
      env: { DATA_DIR: dataDir, LOG_LEVEL: 'warn', PROJECTOR: opts.projector, ...BENCH_AUTH_ENV },
      path: '/leads',
      ready: { method: 'GET', path: '/health' },
    },
  ];

  console.log(`HTTP bench: node ${info.node}, ${info.cpus} CPUs (${info.cpuModel}); api from ${opts.server}, data under ${dataDir}`);
  console.log(`${opts.connections} connections, ${opts.warmup} s warm-up + ${opts.duration} s measured per server; api projector: ${opts.projector}\n`);

  const results: Partial<Record<Target['name'], LoadResult>> = {};
  const profiles: string[] = [];
  let eventsInStore: number | null = null;
  let answered2xx = 0;
  try {
    for (const target of targets) {
      const { result, warmup2xx, server, profile } = await measureTarget(target, opts);
      results[target.name] = result;
      if (profile) profiles.push(profile);
      if (target.name === 'api') {
        eventsInStore = await storedEvents(server.port);
        answered2xx = warmup2xx + result.ok2xx;
      }
      await stopServer(server);
    }
  } finally {
    if (opts.keep) console.log(`kept ${dataDir}`);
    else removeDir(dataDir);
  }

  const trivial = results.trivial as LoadResult;
  const api = results.api as LoadResult;
  const ratio = api.requestsPerSecond / trivial.requestsPerSecond;
  const ratioOk = ratio >= AIM_RATIO;
  const p99Ok = api.latencyMs.p99 < AIM_P99_MS;
  const cleanOk = api.non2xx === 0 && api.errors === 0;

  const row = (label: string, r: LoadResult, vs: string, aim: string, result: string) => [
    label,
    formatRate(r.requestsPerSecond, 'req/s'),
    vs,
    formatMs(r.latencyMs.p50),
    formatMs(r.latencyMs.p99),
    formatMs(r.latencyMs.max),
    r.ok2xx.toLocaleString('en-US'),
    String(r.non2xx),
    String(r.errors),
    aim,
    result,
  ];
  console.log('');
  console.log(
    renderTable(
      ['endpoint', 'req/s', 'vs trivial', 'p50', 'p99', 'max', '2xx', 'non-2xx', 'errors', 'aim', 'result'],
      [
        row('trivial NestJS POST /ping (baseline)', trivial, '100%', '', ''),
        row('api POST /leads (CreateLead)', api, formatRatio(ratio), `>= ${formatRatio(AIM_RATIO)}`, verdict(ratioOk)),
        ['  api p99 latency', '', '', '', formatMs(api.latencyMs.p99), '', '', '', '', `< ${AIM_P99_MS} ms`, verdict(p99Ok)],
        ['  api non-2xx + errors', '', '', '', '', '', '', String(api.non2xx), String(api.errors), '0', verdict(cleanOk)],
      ],
    ),
  );
  // Every 2xx must be a lead in the store. A few more events than answers is fine: the requests still in flight when
  // autocannon stopped (up to one per connection, at the end of the warm-up and of the measured run) were committed
  // but not counted.
  const loadRuns = opts.warmup > 0 ? 2 : 1;
  const storeConsistent = eventsInStore !== null && eventsInStore >= answered2xx && eventsInStore - answered2xx <= opts.connections * loadRuns;
  console.log(
    `\nevents in the api's store: ${eventsInStore?.toLocaleString('en-US') ?? 'unknown'}; 2xx answered (warm-up + measured): ${answered2xx.toLocaleString('en-US')}` +
      (storeConsistent ? ' - consistent' : ' - INCONSISTENT'),
  );
  if (api.non2xx > 0) console.log(`api status codes: ${JSON.stringify(api.statusCodes)}`);
  for (const p of profiles) console.log(`cpu profile: ${p}`);

  const file = writeResults('http', {
    bench: 'http',
    finishedAt: new Date().toISOString(),
    machine: info,
    options: opts,
    requestBody: JSON.parse(LEAD_BODY) as unknown,
    trivial,
    api: { ...api, ratioToTrivial: ratio, eventsInStore, answered2xxInclWarmup: answered2xx, storeConsistent },
    aims: {
      ratio: { aim: AIM_RATIO, value: ratio, pass: ratioOk },
      p99Ms: { aim: AIM_P99_MS, value: api.latencyMs.p99, pass: p99Ok },
      non2xx: { aim: 0, value: api.non2xx + api.errors, pass: cleanOk },
    },
  });
  console.log(`results: ${file}`);
}

function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}
process.once('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  killChildren();
  process.exit(1);
});
