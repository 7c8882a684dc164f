/**
 * What authentication and the encryption of personal data cost on the command path: commands/s over HTTP with and
 * without them, in the same run.
 *
 *   npm run bench:security -- [--rounds 8] [--duration 3] [--warmup 2] [--connections 32] [--leads 3000]
 *   npm run bench:security -- --in-process [--rounds 8] [--commands 2000]
 *
 * Four servers (bench/support/security-variant-app.ts), each a child process on its own temporary DATA_DIR, all up at
 * once but loaded one at a time, round after round, so that each sees the same moments of this VM's drifting disk:
 *   plain       no authentication (a fixed admin), personal fields stored in the clear: the baseline
 *   auth        HS256 bearer tokens verified on every request (jose), as users call the service
 *   encryption  personal fields sealed (a new data key per new person) and opened on every load
 *   both        the service as it ships
 * Two workloads, each request a durable command:
 *   create      POST /leads, a new person every time: a new data key, three or four fields sealed
 *   work        POST /leads/:id/contacts on leads created beforehand: the lead is loaded (its personal fields opened)
 *               and an event without personal data appended
 * Figures per variant are means over the rounds; the cost is the median over the rounds of (variant / plain) in that
 * round. Aim (the security issue): "both" less than 20% slower than "plain", i.e. at least 80% of its commands/s.
 *
 * --in-process: the command path alone, without HTTP (and so without authentication): two application contexts in
 * this process, encryption off and on, the same commands through their CommandBus, 64 in flight, in turns; the CPU
 * this process spends per command (process.cpuUsage), and commands/s. Less noise: no sockets, no autocannon.
 * Beside it, each server's CPU time per command (from /proc), and plain's over the variant's: the same question asked
 * of the CPU alone, which autocannon's share of the two cores and the VM's neighbours disturb less.
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import {
  REPO_ROOT,
  formatMs,
  formatRate,
  formatRatio,
  freePort,
  freshTempDir,
  machineInfo,
  parseArgsOrExit,
  positiveInt,
  removeDir,
  renderTable,
  verdict,
  writeResults,
} from './bench-support';
import { performance } from 'node:perf_hooks';
import { BENCH_JWT_SECRET, benchAuthorization } from './support/bench-auth';
import { commandPathApp, runCommands } from './support/command-path-variants';

const AIM = 0.8;
const HOST = '127.0.0.1';
const VARIANTS = [
  { name: 'plain', auth: 'off', encryption: 'off' },
  { name: 'auth', auth: 'on', encryption: 'off' },
  { name: 'encryption', auth: 'off', encryption: 'on' },
  { name: 'both', auth: 'on', encryption: 'on' },
] as const;
type VariantName = (typeof VARIANTS)[number]['name'];
const WORKLOADS = ['create', 'work'] as const;
type Workload = (typeof WORKLOADS)[number];

const USAGE = `Usage: npm run bench:security -- [options]
  --rounds N        rounds; each loads every variant with every workload once (default 8)
  --duration S      measured seconds per load (default 3)
  --warmup S        unmeasured seconds per server and workload before the first round (default 2)
  --connections N   concurrent connections (default 32)
  --leads N         leads made on each server beforehand for the "work" workload (default 3000)
  --in-process      the command path without HTTP: encryption off and on, through the CommandBus (no authentication)
  --commands N      with --in-process: commands per workload, variant and round (default 2000)`;

function options() {
  const { values } = parseArgsOrExit(
    {
      options: {
        rounds: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        leads: { type: 'string' },
        'in-process': { type: 'boolean', default: false },
        commands: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    },
    USAGE,
  );
  return {
    rounds: positiveInt('rounds', values.rounds, 8),
    duration: positiveInt('duration', values.duration, 3),
    warmup: positiveInt('warmup', values.warmup, 2, 0),
    connections: positiveInt('connections', values.connections, 32),
    leads: positiveInt('leads', values.leads, 3000),
    inProcess: values['in-process'] ?? false,
    commands: positiveInt('commands', values.commands, 2000),
  };
}

const LEAD = { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines Ltd', title: 'Founder', email: 'ada@example.com', phone: '+44 20 7946 0000', source: 'Web Form' };
const CONTACT = JSON.stringify({ channel: 'call', note: null });

interface Server {
  variant: (typeof VARIANTS)[number];
  port: number;
  child: ChildProcess;
  dataDir: string;
  leadIds: string[];
  output: string[];
}

function headers(): Record<string, string> {
  // The unauthenticated variants ignore the header; sending it everywhere keeps the requests the same size.
  return { 'content-type': 'application/json', authorization: benchAuthorization() };
}

async function startServer(variant: Server['variant']): Promise<Server> {
  const port = await freePort(HOST);
  const dataDir = freshTempDir(`pl-bench-security-${variant.name}-`);
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'bench/support/security-variant-app.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST, PROJECTOR: 'off', LOG_LEVEL: 'warn', JWT_SECRET: BENCH_JWT_SECRET, BENCH_AUTH: variant.auth, BENCH_ENCRYPTION: variant.encryption },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server: Server = { variant, port, child, dataDir, leadIds: [], output: [] };
  const keep = (chunk: Buffer) => server.output.push(...chunk.toString().split('\n').filter(Boolean).slice(-20));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${variant.name} exited: ${server.output.join('\n')}`);
    if ((await call(server, 'GET', '/health').catch(() => ({ status: 0 }))).status === 200) return server;
    if (Date.now() > deadline) throw new Error(`${variant.name} did not start: ${server.output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function call(server: Server, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port: server.port, method, path, headers: body ? headers() : { authorization: benchAuthorization() } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

async function makeLeads(server: Server, count: number): Promise<void> {
  const inFlight = 16;
  let made = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (made < count) {
        made++;
        const res = await call(server, 'POST', '/leads', JSON.stringify({ ...LEAD, email: `lead${made}@example.com` }));
        if (res.status !== 201) throw new Error(`${server.variant.name}: POST /leads answered ${res.status} ${res.body}`);
        server.leadIds.push((JSON.parse(res.body) as { id: string }).id);
      }
    }),
  );
}

async function load(server: Server, workload: Workload, seconds: number, connections: number): Promise<autocannon.Result> {
  let next = 0;
  const ids = server.leadIds;
  return autocannon({
    url: `http://${HOST}:${server.port}`,
    connections,
    pipelining: 1,
    duration: seconds,
    headers: headers(),
    requests: [
      workload === 'create'
        ? { method: 'POST', path: '/leads', setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...LEAD, email: `new${next++}@example.com` }) }) }
        : { method: 'POST', setupRequest: (req) => ({ ...req, path: `/leads/${ids[next++ % ids.length]}/contacts`, body: CONTACT }) },
    ],
  });
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime: fields 14 and 15 of stat, 12 and 13 after the name
}

interface Measured {
  /** The server's CPU per command (µs): steadier than commands/s on a VM where autocannon shares the two cores. */
  cpuPerCommandUs: number;
  rate: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** --in-process: encryption off and on, through the CommandBus, in turns; CPU per command and commands/s. */
async function inProcess(opts: ReturnType<typeof options>): Promise<void> {
  const info = machineInfo();
  console.log(`Security bench, in process: node ${info.node}, ${info.cpus} CPUs; ${opts.rounds} rounds x ${opts.commands} commands per workload and variant, 64 in flight\n`);
  const variants = [
    { name: 'plain', dir: freshTempDir('pl-bench-cmd-plain-'), encryption: false },
    { name: 'encryption', dir: freshTempDir('pl-bench-cmd-enc-'), encryption: true },
  ];
  const apps = await Promise.all(variants.map((v) => commandPathApp(v.dir, v.encryption)));
  const leads = variants.map(() => [] as string[]);
  try {
    for (let i = 0; i < apps.length; i++) await runCommands(apps[i]!, 'create', 1000, 64, leads[i]!); // warm-up, and leads to work on
    const results: Record<string, { cpuUs: number[]; rate: number[] }> = {};
    for (let round = 1; round <= opts.rounds; round++) {
      for (const workload of WORKLOADS) {
        for (let i = 0; i < apps.length; i++) {
          const cpu = process.cpuUsage();
          const t0 = performance.now();
          await runCommands(apps[i]!, workload, opts.commands, 64, leads[i]!);
          const seconds = (performance.now() - t0) / 1000;
          const used = process.cpuUsage(cpu);
          const key = `${workload}/${variants[i]!.name}`;
          results[key] ??= { cpuUs: [], rate: [] };
          results[key].cpuUs.push((used.user + used.system) / opts.commands);
          results[key].rate.push(opts.commands / seconds);
        }
      }
      process.stdout.write(`round ${round}/${opts.rounds} done\n`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rows: string[][] = [];
    for (const workload of WORKLOADS) {
      const plain = results[`${workload}/plain`]!;
      for (const v of variants) {
        const r = results[`${workload}/${v.name}`]!;
        const rateRatios = r.rate.map((x, i) => x / plain.rate[i]!);
        const cpuRatios = r.cpuUs.map((x, i) => plain.cpuUs[i]! / x);
        rows.push([
          workload,
          v.name,
          formatRate(median(r.rate)),
          v.name === 'plain' ? '100%' : `${formatRatio(median(rateRatios))} (${formatRatio(Math.min(...rateRatios))}-${formatRatio(Math.max(...rateRatios))})`,
          `${Math.round(median(r.cpuUs))} µs`,
          v.name === 'plain' ? '100%' : `${formatRatio(median(cpuRatios))} (${formatRatio(Math.min(...cpuRatios))}-${formatRatio(Math.max(...cpuRatios))})`,
        ]);
      }
    }
    console.log(`\n${renderTable(['workload', 'variant', 'commands/s (median)', 'vs plain (range)', 'CPU/command (median)', 'plain CPU / this (range)'], rows)}`);
    console.log(`results: ${writeResults('security-in-process', { machine: info, options: opts, results })}`);
  } finally {
    for (const app of apps) await app.close();
    for (const v of variants) removeDir(v.dir);
  }
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.inProcess) return inProcess(opts);
  const info = machineInfo();
  console.log(`Security bench: node ${info.node}, ${info.cpus} CPUs (${info.cpuModel}); ${opts.rounds} rounds x ${VARIANTS.length} variants x ${WORKLOADS.length} workloads, ${opts.duration} s each, ${opts.connections} connections\n`);
  const servers: Server[] = [];
  try {
    for (const variant of VARIANTS) {
      process.stdout.write(`${variant.name}: starting... `);
      const server = await startServer(variant);
      servers.push(server);
      await makeLeads(server, opts.leads);
      if (opts.warmup > 0) for (const workload of WORKLOADS) await load(server, workload, opts.warmup, opts.connections);
      console.log(`up, ${server.leadIds.length} leads made, warmed up`);
    }
    const results: Record<Workload, Record<VariantName, Measured[]>> = {
      create: { plain: [], auth: [], encryption: [], both: [] },
      work: { plain: [], auth: [], encryption: [], both: [] },
    };
    for (let round = 1; round <= opts.rounds; round++) {
      const line: string[] = [];
      for (const workload of WORKLOADS) {
        for (const server of servers) {
          const cpuBefore = cpuMsOf(server.child.pid!);
          const r = await load(server, workload, opts.duration, opts.connections);
          const cpuPerCommandUs = ((cpuMsOf(server.child.pid!) - cpuBefore) * 1000) / Math.max(1, r.requests.total);
          results[workload][server.variant.name].push({ cpuPerCommandUs, rate: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
          line.push(`${workload}/${server.variant.name} ${formatRate(r.requests.average)}`);
        }
      }
      console.log(`round ${round}/${opts.rounds}: ${line.join(', ')}`);
    }

    const rows: string[][] = [];
    const summary: Record<string, unknown> = {};
    for (const workload of WORKLOADS) {
      const plain = results[workload].plain;
      for (const variant of VARIANTS) {
        const runs = results[workload][variant.name];
        const ratios = runs.map((m, i) => m.rate / plain[i]!.rate).sort((a, b) => a - b);
        const median = ratios[Math.floor(ratios.length / 2)]!;
        const cpuRatios = runs.map((m, i) => plain[i]!.cpuPerCommandUs / m.cpuPerCommandUs).sort((a, b) => a - b);
        const cpuMedian = cpuRatios[Math.floor(cpuRatios.length / 2)]!;
        const mean = (f: (m: Measured) => number) => runs.reduce((s, m) => s + f(m), 0) / runs.length;
        const failed = runs.reduce((s, m) => s + m.non2xx + m.errors, 0);
        const judged = variant.name === 'both';
        rows.push([
          workload,
          variant.name,
          formatRate(mean((m) => m.rate)),
          formatMs(mean((m) => m.p50)),
          formatMs(mean((m) => m.p99)),
          variant.name === 'plain' ? '100%' : formatRatio(median),
          variant.name === 'plain' ? '' : `${formatRatio(ratios[0]!)}-${formatRatio(ratios[ratios.length - 1]!)}`,
          `${Math.round(mean((m) => m.cpuPerCommandUs))} µs`,
          variant.name === 'plain' ? '100%' : `${formatRatio(cpuMedian)} (${formatRatio(cpuRatios[0]!)}-${formatRatio(cpuRatios[cpuRatios.length - 1]!)})`,
          String(failed),
          judged ? `>= ${formatRatio(AIM)}` : '',
          judged ? verdict(median >= AIM && failed === 0) : '',
        ]);
        summary[`${workload}/${variant.name}`] = { runs, medianRatioToPlain: median, medianCpuRatioToPlain: cpuMedian };
      }
    }
    console.log(`\n${renderTable(['workload', 'variant', 'commands/s', 'p50', 'p99', 'vs plain (median)', 'per round', 'server CPU/command', 'plain CPU / this (range)', 'failed', 'aim', 'result'], rows)}`);
    console.log('\nplain: no authentication, personal fields in the clear (the baseline, same run); both: the service as it ships.');
    console.log('The aim is judged on commands/s (median of the per-round ratios); the server CPU per command says the same with less noise.');
    console.log(`results: ${writeResults('security', { machine: info, options: opts, results: summary })}`);
  } finally {
    for (const server of servers) {
      server.child.kill('SIGTERM');
      removeDir(server.dataDir);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
