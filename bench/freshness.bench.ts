/**
 * Freshness under load: how long after a 201 for POST /leads the new lead shows in GET /leads?q=..., with the api
 * (PROJECTOR=embedded) taking a steady stream of commands; beside the same poll's round trip for a GET that is
 * already fresh, measured in the same run under the same load.
 *
 *   npm run bench:freshness -- [--rate 500] [--duration 10] [--warmup 2] [--sample-every 50] [--poll-ms 5]
 *                              [--server source|dist] [--keep]
 *
 * The api runs in a child process (apps/api/src/main.ts through ts-node, or dist), on a fresh temporary DATA_DIR.
 * A fixed-rate scheduler in this process sends POST /leads at --rate per second (every 5 ms it sends what is due,
 * so a slow answer does not slow the rate: requests are not waited for), each lead with a unique last name. Every
 * --sample-every'th 201 of the measured period starts a poller: GET /leads?q=<last name>&pageSize=1, the next one
 * --poll-ms after the previous answer, until total >= 1. Freshness = the time from the 201 to the answer that shows
 * the lead (an upper bound: it includes that poll's round trip; the lower bound, to the poll that was sent, is in
 * the JSON). The poller then sends one more GET, which is already fresh: its round trip is the baseline.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_AUTH_ENV, benchAuthorization } from './support/bench-auth';
import {
  REPO_ROOT,
  freePort,
  formatMs,
  formatRate,
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

const AIM_P99_MS = 200;
const HOST = '127.0.0.1';
const GIVE_UP_MS = 10_000;

const USAGE = `Usage: npm run bench:freshness -- [options]
  --rate N          POST /leads per second, fixed rate (default 500)
  --duration S      measured seconds (default 10)
  --warmup S        seconds of load before measuring, no sampling (default 2)
  --sample-every N  measure freshness for every N-th created lead (default 50, i.e. 10 per second at 500/s;
                    10 saturates the 2-core VM: every poll is a q search, a substring scan over the leads)
  --poll-ms N       pause between a poll's answer and the next poll (default 5)
  --server KIND     source (default) or dist (npm run build first)
  --keep            keep the api's temporary data directory`;

const agent = new Agent({ keepAlive: true, maxSockets: 128 });

interface Answer {
  status: number;
  body: string;
  sentAt: number;
  receivedAt: number;
}

const AUTHORIZATION = benchAuthorization();

function call(port: number, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    const req = request(
      { host: HOST, port, method, path, agent, headers: { authorization: AUTHORIZATION, ...(body ? { 'content-type': 'application/json' } : {}) }, timeout: 30_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body: text, sentAt, receivedAt: performance.now() }));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end(body);
  });
}


let child: ChildProcess | null = null;
const childLines: string[] = [];

function startApi(entry: string[], dataDir: string, port: number): ChildProcess {
  const c = spawn(process.execPath, entry, {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST, LOG_LEVEL: 'warn', PROJECTOR: 'embedded', ...BENCH_AUTH_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    childLines.push(...chunk.toString().split('\n').filter(Boolean));
    childLines.splice(0, Math.max(0, childLines.length - 30));
  };
  c.stdout?.on('data', keep);
  c.stderr?.on('data', keep);
  return c;
}

async function waitUntilServing(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`api exited before serving:\n${childLines.join('\n')}`);
    try {
      const a = await call(port, 'GET', '/health');
      if (a.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`api did not answer within ${timeoutMs} ms:\n${childLines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function leadBody(lastName: string): string {
  return JSON.stringify({
    firstName: 'Ada',
    lastName,
    company: 'Analytical Engines Ltd',
    title: 'Founder',
    email: `${lastName.toLowerCase()}@example.com`,
    source: 'Web Form',
    industry: 'Computing',
  });
}

interface Sample {
  freshMs: number | null; // 201 -> answer showing the lead
  freshLowerMs: number | null; // 201 -> the send of that poll
  polls: number;
  baselineMs: number | null; // round trip of a GET that is already fresh
}

async function main(): Promise<void> {
  const { values } = parseArgsOrExit(
    {
      options: {
        rate: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        'sample-every': { type: 'string' },
        'poll-ms': { type: 'string' },
        server: { type: 'string', default: 'source' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    },
    USAGE,
  );
  const rate = positiveInt('rate', values.rate, 500);
  const duration = positiveInt('duration', values.duration, 10);
  const warmup = positiveInt('warmup', values.warmup, 2, 0);
  const sampleEvery = positiveInt('sample-every', values['sample-every'], 50);
  const pollMs = positiveInt('poll-ms', values['poll-ms'], 5, 0);
  const distMain = join('dist', 'apps', 'api', 'src', 'main.js');
  if (values.server === 'dist' && !existsSync(join(REPO_ROOT, distMain))) {
    console.error(`${distMain} not found: run "npm run build" first`);
    process.exit(2);
  }
  const entry = values.server === 'dist' ? [distMain] : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'];
  const info = machineInfo();
  const benchStarted = performance.now();
  const dataDir = freshTempDir('pl-bench-fresh-');
  const port = await freePort(HOST);
  console.log(`freshness bench: node ${info.node}, ${info.cpus} CPUs (${info.cpuModel}); api (${values.server}, PROJECTOR=embedded) on ${port}, data ${dataDir}`);
  console.log(`${rate} POST /leads per second, ${warmup} s warm-up + ${duration} s measured; freshness of every ${sampleEvery}th lead, polled every ${pollMs} ms\n`);

  child = startApi(entry, dataDir, port);
  const samples: Sample[] = [];
  const posts: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let created = 0;
  try {
    await waitUntilServing(port);
    const runTag = Date.now().toString(36).toUpperCase();
    const pollers: Promise<void>[] = [];

    const poll = async (lastName: string, createdAt: number): Promise<void> => {
      const sample: Sample = { freshMs: null, freshLowerMs: null, polls: 0, baselineMs: null };
      samples.push(sample);
      const path = `/leads?q=${encodeURIComponent(lastName)}&pageSize=1`;
      while (performance.now() - createdAt < GIVE_UP_MS) {
        const a = await call(port, 'GET', path);
        sample.polls += 1;
        if (a.status === 200 && (JSON.parse(a.body) as { total: number }).total >= 1) {
          sample.freshMs = a.receivedAt - createdAt;
          sample.freshLowerMs = Math.max(0, a.sentAt - createdAt);
          const again = await call(port, 'GET', path); // already fresh: the poll's own round trip
          sample.baselineMs = again.receivedAt - again.sentAt;
          return;
        }
        if (pollMs > 0) await sleep(pollMs);
      }
    };

    const sendOne = (i: number, measured: boolean) => {
      const lastName = `Fr${runTag}N${String(i).padStart(7, '0')}Z`;
      sent += 1;
      call(port, 'POST', '/leads', leadBody(lastName)).then(
        (a) => {
          statuses[a.status] = (statuses[a.status] ?? 0) + 1;
          if (!measured) return;
          posts.push(a.receivedAt - a.sentAt);
          if (a.status === 201) {
            created += 1;
            if (created % sampleEvery === 0) pollers.push(poll(lastName, a.receivedAt));
          }
        },
        () => (errors += 1),
      );
    };

    // Fixed-rate scheduler: every 5 ms, send what is due since the start of the phase.
    const phase = async (seconds: number, measured: boolean): Promise<{ sent: number; seconds: number }> => {
      const start = performance.now();
      const end = start + seconds * 1000;
      let phaseSent = 0;
      for (;;) {
        const now = performance.now();
        if (now >= end) break;
        const due = Math.floor(((now - start) / 1000) * rate);
        while (phaseSent < due) sendOne(sent, measured), (phaseSent += 1);
        await sleep(5);
      }
      return { sent: phaseSent, seconds: (performance.now() - start) / 1000 };
    };

    if (warmup > 0) await phase(warmup, false);
    const measured = await phase(duration, true);
    await Promise.all(pollers);
    await sleep(500); // the last POSTs
    const health = await call(port, 'GET', '/health');
    console.log(`api /health after the run: ${health.body.slice(0, 200)}`);

    const fresh = samples.filter((s) => s.freshMs !== null);
    const freshMs = fresh.map((s) => s.freshMs!).sort((a, b) => a - b);
    const lowerMs = fresh.map((s) => s.freshLowerMs!).sort((a, b) => a - b);
    const baseMs = fresh.map((s) => s.baselineMs!).sort((a, b) => a - b);
    const postMs = [...posts].sort((a, b) => a - b);
    const notSeen = samples.length - fresh.length;
    const non201 = Object.entries(statuses).filter(([s]) => s !== '201').reduce((n, [, c]) => n + c, 0);
    const p99 = percentile(freshMs, 99);
    const pass = p99 < AIM_P99_MS && notSeen === 0;
    const row = (name: string, xs: number[], aim = '', result = '') => [
      name,
      String(xs.length),
      formatMs(percentile(xs, 50)),
      formatMs(percentile(xs, 90)),
      formatMs(percentile(xs, 99)),
      formatMs(xs[xs.length - 1]),
      aim,
      result,
    ];
    console.log(
      `\nload: ${measured.sent.toLocaleString('en-US')} POST /leads sent in ${measured.seconds.toFixed(1)} s (${formatRate(measured.sent / measured.seconds, 'req/s')} offered), ` +
        `${created.toLocaleString('en-US')} 201 in the measured period, non-201 ${non201}, errors ${errors}; ` +
        `${samples.length} sampled leads, ${notSeen} not seen within ${GIVE_UP_MS / 1000} s, mean ${(fresh.reduce((n, s) => n + s.polls, 0) / Math.max(1, fresh.length)).toFixed(1)} polls each\n`,
    );
    console.log(
      renderTable(
        ['measurement', 'n', 'p50', 'p90', 'p99', 'max', 'aim', 'result'],
        [
          row('GET /leads?q= already fresh, round trip (baseline)', baseMs),
          row('freshness: 201 -> answer showing the lead', freshMs, `p99 < ${AIM_P99_MS} ms`, verdict(pass)),
          row('  lower bound: 201 -> send of that poll', lowerMs),
          row('POST /leads latency under the load (reference)', postMs),
        ],
      ),
    );
    const benchSeconds = (performance.now() - benchStarted) / 1000;
    console.log(`\nbench time ${benchSeconds.toFixed(0)} s`);
    const summary = (xs: number[]) => ({ n: xs.length, p50: percentile(xs, 50), p90: percentile(xs, 90), p99: percentile(xs, 99), max: xs[xs.length - 1] });
    const file = writeResults('freshness', {
      options: { rate, duration, warmup, sampleEvery, pollMs, server: values.server },
      machine: info,
      load: { sent: measured.sent, seconds: measured.seconds, offeredPerSecond: measured.sent / measured.seconds, created201: created, statuses, errors },
      freshnessMs: summary(freshMs),
      freshnessLowerBoundMs: summary(lowerMs),
      baselineRoundTripMs: summary(baseMs),
      postLatencyMs: summary(postMs),
      samples: samples.length,
      notSeen,
      aim: { p99Ms: AIM_P99_MS },
      pass,
      benchSeconds,
    });
    console.log(`results: ${file}`);
  } finally {
    await stopApi();
    if (values.keep) console.log(`kept: ${dataDir}`);
    else removeDir(dataDir);
    agent.destroy();
  }
}

async function stopApi(): Promise<void> {
  const c = child;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  c.kill('SIGTERM');
  const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

process.once('exit', () => child?.kill('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    child?.kill('SIGKILL');
    process.exit(130);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  child?.kill('SIGKILL');
  process.exit(1);
});
