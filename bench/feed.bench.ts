/**
 * The SSE event feed (GET /events), served by the api as a child process (PROJECTOR=off, so the feed has the process
 * to itself) on a copy of --store, beside the raw read-and-parse of the same file measured in the same run:
 *   1. events/s delivered to one consumer reading the whole store from the start;
 *   2. events/s delivered to 50 concurrent consumers, each reading the last --per-consumer events (aggregate and slowest);
 *   3. delivery latency from append to receipt, p50/p99: leads created over HTTP one after another while a consumer
 *      follows with from=end, alone and then beside 49 other listeners;
 *   4. memory of the api while one consumer reads slowly (about 200 KB/s) from the start: its RSS, sampled.
 *
 *   npm run bench:feed -- [--store data/bench-100k/events.sqlite] [--consumers 50] [--per-consumer 20000]
 *                         [--latency-events 300] [--slow-seconds 20]
 *
 * The consumers are in this process: fetch, split frames on blank lines, JSON.parse each data line (what any
 * subscriber does); the server is the other process, so each has a core.
 */
import { setMaxListeners } from 'node:events';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiProcess } from '../test/support/api-process';
import { REPO_ROOT, formatMs, formatRate, freshTempDir, machineInfo, parseArgsOrExit, percentile, positiveInt, removeDir, renderTable, writeResults } from './bench-support';
import { measureRawReadAndParse } from './support/raw-read.baseline';

const USAGE = `Usage: npm run bench:feed -- [options]
  --store FILE          event store to serve (default data/bench-100k/events.sqlite; npm run bench:generate makes one)
  --consumers N         concurrent consumers in part 2 (default 50)
  --per-consumer N      events each of them reads (default 20000)
  --latency-events N    leads created one by one for the latency (default 300)
  --slow-seconds N      how long the slow consumer reads (default 20)`;

interface FeedEvent {
  position: string;
  recordedAt: string;
}

/**
 * Reads GET /events until `until` says stop (or the stream ends), calling onEvent for each parsed message.
 * `throttle` (bytes per second) makes a slow reader: it reads a chunk, then waits as long as that chunk deserves.
 */
/** An admin's credentials for the api under test (set once it has started): every request but /health needs one. */
let auth: Record<string, string> = {};

async function consume(url: string, onEvent: (e: FeedEvent) => boolean, options: { throttle?: number; signal?: AbortSignal } = {}): Promise<number> {
  const abort = new AbortController();
  options.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const response = await fetch(url, { headers: auth, signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`GET ${url}: ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let count = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return count;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.indexOf('\ndata: ');
        if (data < 0) continue; // retry, comments, heartbeats
        count++;
        if (!onEvent(JSON.parse(frame.slice(data + 7)) as FeedEvent)) return count;
      }
      if (options.throttle) await new Promise((r) => setTimeout(r, (value.length / options.throttle!) * 1000));
    }
  } catch (error) {
    if (abort.signal.aborted) return count;
    throw error;
  } finally {
    abort.abort();
  }
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function health(api: ApiProcess): Promise<{ head: bigint; feed: { open: number; delivered: number } }> {
  const body = (await (await fetch(`${api.url}/health`)).json()) as { eventStore: { headPosition: string }; eventFeed: { open: number; delivered: number } };
  return { head: BigInt(body.eventStore.headPosition), feed: body.eventFeed };
}

async function createLead(api: ApiProcess, i: number): Promise<void> {
  const response = await fetch(`${api.url}/leads`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ lastName: `Latency ${i}`, company: 'Bench Ltd', source: 'Web Form', owner: 'bench' }),
  });
  if (response.status !== 201) throw new Error(`POST /leads: ${response.status} ${await response.text()}`);
}

/** Latency from append (recordedAt, set by the api as it appends) to receipt here, for `count` leads made one by one. */
async function measureLatency(api: ApiProcess, count: number, listeners: number): Promise<{ p50: number; p99: number; max: number }> {
  const abort = new AbortController();
  setMaxListeners(listeners + 1, abort.signal); // one per listener
  const latencies: number[] = [];
  const others = Array.from({ length: listeners - 1 }, () => consume(`${api.url}/events?from=end`, () => true, { signal: abort.signal }));
  let measured: () => void = () => undefined;
  const all = new Promise<void>((r) => (measured = r));
  const main = consume(`${api.url}/events?from=end&types=LeadCreated`, (e) => {
    latencies.push(Date.now() - Date.parse(e.recordedAt));
    if (latencies.length === count) measured();
    return latencies.length < count;
  });
  while ((await health(api)).feed.open < listeners) await new Promise((r) => setTimeout(r, 20));
  for (let i = 0; i < count; i++) {
    await createLead(api, i);
    await new Promise((r) => setTimeout(r, 5));
  }
  await all;
  await main;
  abort.abort();
  await Promise.all(others);
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1]! };
}

async function main(): Promise<void> {
  const { values } = parseArgsOrExit(
    {
      options: {
        store: { type: 'string' },
        consumers: { type: 'string' },
        'per-consumer': { type: 'string' },
        'latency-events': { type: 'string' },
        'slow-seconds': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    },
    USAGE,
  );
  const consumers = positiveInt('consumers', values.consumers, 50);
  const perConsumer = positiveInt('per-consumer', values['per-consumer'], 20_000);
  const latencyEvents = positiveInt('latency-events', values['latency-events'], 300);
  const slowSeconds = positiveInt('slow-seconds', values['slow-seconds'], 20);
  const source = resolve(values.store ?? join(REPO_ROOT, 'data', 'bench-100k', 'events.sqlite'));
  if (!existsSync(source)) {
    console.error(`${source} does not exist: npm run bench:generate -- --events 100000 --out ${source}`);
    process.exit(2);
  }
  const info = machineInfo();
  console.log(`feed bench: node ${info.node}, ${info.cpus} CPUs (${info.cpuModel}); store ${source}\n`);
  const dir = freshTempDir('pl-bench-feed-');
  const file = join(dir, 'events.sqlite');
  copyFileSync(source, file);
  process.env.PROJECTOR = 'off';
  process.env.FEED_MAX_CLIENTS = String(Math.max(200, consumers + 10));
  let api: ApiProcess | null = null;
  try {
    measureRawReadAndParse(file, { parse: false }); // warm the page cache
    const rawBefore = measureRawReadAndParse(file).eventsPerSecond;
    api = await ApiProcess.start(dir);
    auth = await api.headers();
    await new Promise((r) => setTimeout(r, 3000)); // the conversion completer's first scan of the store
    const pid = api.pid!;
    const idleRss = rssMiB(pid);
    const head = (await health(api)).head;

    // 1. One consumer, the whole store.
    let started = performance.now();
    let lastPosition = 0n;
    const oneCount = await consume(`${api.url}/events?from=start`, (e) => {
      lastPosition = BigInt(e.position);
      return lastPosition < head;
    });
    const oneRate = oneCount / ((performance.now() - started) / 1000);
    const rssAfterOne = rssMiB(pid);

    // 2. Many consumers at once, each the last perConsumer events.
    const from = head > BigInt(perConsumer) ? head - BigInt(perConsumer) : 0n;
    started = performance.now();
    const finished: number[] = [];
    const counts = await Promise.all(
      Array.from({ length: consumers }, () =>
        consume(`${api!.url}/events?from=${from}`, (e) => BigInt(e.position) < head).then((n) => {
          finished.push(performance.now() - started);
          return n;
        }),
      ),
    );
    const manySeconds = (performance.now() - started) / 1000;
    const manyTotal = counts.reduce((a, b) => a + b, 0);
    const slowest = Math.max(...finished) / 1000;
    const rssAfterMany = rssMiB(pid);

    // 3. Latency, one listener, then `consumers` listeners.
    const latencyAlone = await measureLatency(api, latencyEvents, 1);
    const latencyCrowd = await measureLatency(api, latencyEvents, consumers);

    // 4. A slow consumer: memory of the server, sampled while it lags further and further behind.
    const abort = new AbortController();
    let slowCount = 0;
    const baseDelivered = (await health(api)).feed.delivered;
    const slow = consume(`${api.url}/events?from=start`, () => ++slowCount > 0, { throttle: 200_000, signal: abort.signal });
    const samples: Array<{ s: number; rssMiB: number; read: number; deliveredByServer: number }> = [];
    const slowStart = performance.now();
    while (performance.now() - slowStart < slowSeconds * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      samples.push({ s: Math.round((performance.now() - slowStart) / 1000), rssMiB: rssMiB(pid), read: slowCount, deliveredByServer: (await health(api)).feed.delivered - baseDelivered });
    }
    abort.abort();
    await slow;
    const rawAfter = measureRawReadAndParse(file).eventsPerSecond;
    const raw = (rawBefore + rawAfter) / 2;

    console.log(
      renderTable(
        ['measurement', 'events', 'rate', 'vs raw'],
        [
          ['raw read + JSON.parse of the same file (baseline, mean of before/after)', '', formatRate(raw, 'events/s'), '100%'],
          ['SSE, 1 consumer, whole store', oneCount.toLocaleString('en-US'), formatRate(oneRate, 'events/s'), `${Math.round((oneRate / raw) * 100)}%`],
          [`SSE, ${consumers} consumers x ${perConsumer.toLocaleString('en-US')} events, aggregate`, manyTotal.toLocaleString('en-US'), formatRate(manyTotal / manySeconds, 'events/s'), `${Math.round((manyTotal / manySeconds / raw) * 100)}%`],
          [`  each of the ${consumers} (the slowest)`, perConsumer.toLocaleString('en-US'), formatRate(perConsumer / slowest, 'events/s'), ''],
        ],
      ),
    );
    console.log(
      `\n${renderTable(
        ['delivery latency, append -> receipt (ms clock)', 'p50', 'p99', 'max'],
        [
          [`1 listener, ${latencyEvents} leads created one by one`, formatMs(latencyAlone.p50), formatMs(latencyAlone.p99), formatMs(latencyAlone.max)],
          [`${consumers} listeners, the same`, formatMs(latencyCrowd.p50), formatMs(latencyCrowd.p99), formatMs(latencyCrowd.max)],
        ],
      )}`,
    );
    console.log(`\napi RSS: idle ${idleRss.toFixed(0)} MiB, after 1 consumer ${rssAfterOne.toFixed(0)} MiB, after ${consumers} consumers ${rssAfterMany.toFixed(0)} MiB`);
    console.log(`slow consumer (~200 KB/s from the start of ${head.toLocaleString('en-US')} events), api RSS sampled each second:`);
    console.log(
      renderTable(
        ['s', 'api RSS', 'events read by the consumer', 'events the server has written'],
        samples.map((x) => [String(x.s), `${x.rssMiB.toFixed(0)} MiB`, x.read.toLocaleString('en-US'), x.deliveredByServer.toLocaleString('en-US')]),
      ),
    );
    const out = writeResults('feed', {
      options: { store: source, consumers, perConsumer, latencyEvents, slowSeconds },
      machine: info,
      raw,
      one: { events: oneCount, eventsPerSecond: oneRate },
      many: { consumers, perConsumer, total: manyTotal, seconds: manySeconds, eventsPerSecond: manyTotal / manySeconds, slowestSeconds: slowest },
      latency: { alone: latencyAlone, crowd: latencyCrowd },
      rss: { idle: idleRss, afterOne: rssAfterOne, afterMany: rssAfterMany, slow: samples },
    });
    console.log(`results: ${out}`);
  } finally {
    await api?.kill();
    removeDir(dir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
