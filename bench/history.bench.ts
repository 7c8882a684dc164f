/**
 * Auditors' reads, each beside its raw baseline measured in the same run:
 *   1. history latency for a lead with 10, 100 and 1,000 events: what GET /leads/:id/history does minus HTTP
 *      (store.readStream, recordHistory with the lead's decider and presenter, JSON.stringify of the answer; the
 *      default page of 100 entries, the fold over every event), beside store.readStream of the same events.
 *      Aim: within 2x of the raw read.
 *   2. verify throughput over an event store (ChainVerifier over readAll pages, as `cli verify` does), beside the raw
 *      read-and-parse of the same file (measureRawReadAndParse).
 *
 *   npm run bench:history -- [--store data/bench-1m/events.sqlite] [--iterations 200]
 *
 * The leads of part 1 are made by the real lead decider (a CreateLead, then contacts), chained as the api chains them,
 * in a temp store. Part 2 copies --store into a temp dir (skipped, saying so, when the file does not exist).
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LeadDetails, LeadEvent, LeadState, createLeadDecider, DEFAULT_STAGE_CATALOGUE, isRefusal, streamIdFor } from '@pipeline-ledger/domain';
import { CHAIN_GENESIS, ChainVerifier, NewEvent, SqliteEventStore, chainNewEvents } from '@pipeline-ledger/event-store';
import { recordHistory } from '../apps/api/src/history/record-history';
import { presentLead } from '../apps/api/src/leads/lead.presenter';
import { DEFAULT_RECORDS } from '../apps/api/src/write/record-types';
import { REPO_ROOT, formatMs, formatRate, freshTempDir, machineInfo, parseArgsOrExit, percentile, positiveInt, removeDir, renderTable, verdict, writeResults } from './bench-support';
import { measureRawReadAndParse } from './support/raw-read.baseline';
import { adaLead } from '../test/support/fixtures';

const AIM_RATIO = 2;
const USAGE = `Usage: npm run bench:history -- [options]
  --store FILE      event store for the verify throughput (default data/bench-1m/events.sqlite)
  --iterations N    timed calls per history case (default 200)`;

/** The e2e tests' lead, without its owner (the command carries that). */
const { owner: _owner, ...DETAILS }: { owner: string } & LeadDetails = adaLead as typeof adaLead & LeadDetails;

/** A lead with n events (created, then contacted n - 1 times), appended as the api appends them. */
async function makeLead(store: SqliteEventStore, n: number): Promise<string> {
  const decider = createLeadDecider(DEFAULT_STAGE_CATALOGUE);
  const leadId = randomUUID();
  const streamId = streamIdFor('lead', leadId);
  let state: LeadState = decider.initialState;
  const events: NewEvent[] = [];
  const start = Date.parse('2026-01-01T09:00:00Z');
  for (let i = 0; i < n; i++) {
    const at = new Date(start + i * 3_600_000).toISOString();
    const command = i === 0 ? { type: 'CreateLead' as const, leadId, at, details: DETAILS, owner: 'alice' } : { type: 'LogLeadContact' as const, leadId, at, channel: 'call' as const, note: `call ${i}` };
    const decision = decider.decide(command, state);
    if (isRefusal(decision)) throw new Error(`the decider refused ${command.type}: ${decision.message}`);
    for (const event of decision as LeadEvent[]) {
      state = decider.evolve(state, event);
      events.push({
        eventId: randomUUID(),
        type: event.type,
        schemaVersion: 1,
        data: event.data as unknown as Record<string, unknown>,
        metadata: { actor: 'user:bench', correlationId: randomUUID(), causationId: null, occurredAt: at },
      });
    }
  }
  await store.appendToStream(streamId, chainNewEvents(streamId, 0, CHAIN_GENESIS, events), { expectedRevision: 'no_stream' });
  return leadId;
}

/** p50/p99 of each function, called in turns (a, b, a, b...) so that both see the same machine from moment to moment. */
async function timeSideBySide(iterations: number, fns: ReadonlyArray<() => Promise<unknown>>): Promise<Array<{ p50: number; p99: number }>> {
  for (let i = 0; i < Math.min(20, iterations); i++) for (const fn of fns) await fn();
  const ms: number[][] = fns.map(() => []);
  for (let i = 0; i < iterations; i++) {
    for (const [f, fn] of fns.entries()) {
      const started = performance.now();
      await fn();
      ms[f]!.push(performance.now() - started);
    }
  }
  return ms.map((m) => {
    m.sort((a, b) => a - b);
    return { p50: percentile(m, 50), p99: percentile(m, 99) };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgsOrExit(
    { options: { store: { type: 'string' }, iterations: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } }, strict: true },
    USAGE,
  );
  const iterations = positiveInt('iterations', values.iterations, 200);
  const info = machineInfo();
  console.log(`history bench: node ${info.node}, ${info.cpus} CPUs (${info.cpuModel}); ${iterations} timed calls per case\n`);
  const dir = freshTempDir('pl-bench-history-');
  try {
    // 1. History latency.
    const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    const history: Array<{ events: number; raw: { p50: number; p99: number }; history: { p50: number; p99: number }; ratio: number }> = [];
    for (const n of [10, 100, 1000]) {
      const id = await makeLead(store, n);
      const streamId = streamIdFor('lead', id);
      const [raw, answer] = await timeSideBySide(iterations, [
        () => store.readStream(streamId),
        async () => {
          const events = await store.readStream(streamId);
          return JSON.stringify(recordHistory(DEFAULT_RECORDS.lead, id, events, presentLead, { basis: 'recorded', page: 1, pageSize: 100 }));
        },
      ]);
      history.push({ events: n, raw: raw!, history: answer!, ratio: answer!.p50 / raw!.p50 });
    }
    await store.close();
    console.log(
      renderTable(
        ['lead with', 'raw readStream p50', 'p99', 'history p50', 'p99', 'history / raw (p50)', 'aim', 'result'],
        history.map((h) => [`${h.events} events`, formatMs(h.raw.p50), formatMs(h.raw.p99), formatMs(h.history.p50), formatMs(h.history.p99), `x${h.ratio.toFixed(1)}`, `<= x${AIM_RATIO}`, verdict(h.ratio <= AIM_RATIO)]),
      ),
    );

    // 2. Verify throughput.
    const source = resolve(values.store ?? join(REPO_ROOT, 'data', 'bench-1m', 'events.sqlite'));
    let verify: { events: number; eventsPerSecond: number; raw: number; verified: number; unchained: number; broken: number } | null = null;
    if (!existsSync(source)) {
      console.log(`\nverify throughput skipped: ${source} does not exist (npm run bench:generate makes it)`);
    } else {
      const file = join(dir, 'verify.sqlite');
      copyFileSync(source, file);
      measureRawReadAndParse(file, { parse: false }); // warm the page cache
      const rawBefore = measureRawReadAndParse(file).eventsPerSecond;
      const events = new SqliteEventStore({ filename: file });
      const verifier = new ChainVerifier();
      let count = 0;
      let broken = 0;
      const started = performance.now();
      for (let after: bigint | null = null; ; ) {
        const page = await events.readAll({ after, maxCount: 5000 });
        for (const event of page) if (verifier.check(event)) broken++;
        count += page.length;
        if (page.length < 5000) break;
        after = page[page.length - 1]!.position;
      }
      const seconds = (performance.now() - started) / 1000;
      await events.close();
      const rawAfter = measureRawReadAndParse(file).eventsPerSecond;
      const raw = (rawBefore + rawAfter) / 2;
      verify = { events: count, eventsPerSecond: count / seconds, raw, verified: verifier.verified, unchained: verifier.unchained, broken };
      console.log(
        `\n${renderTable(
          ['measurement', 'rate', 'vs raw'],
          [
            [`raw read + JSON.parse, ${count.toLocaleString('en-US')} events (baseline, mean of before/after)`, formatRate(raw, 'events/s'), '100%'],
            [`verify (hash chains), ${count.toLocaleString('en-US')} events`, formatRate(verify.eventsPerSecond, 'events/s'), `${Math.round((verify.eventsPerSecond / raw) * 100)}%`],
          ],
        )}`,
      );
      console.log(`verified ${verifier.verified.toLocaleString('en-US')}, written before hashes existed ${verifier.unchained.toLocaleString('en-US')} (hashed all the same), broken streams ${broken}`);
    }
    const out = writeResults('history', { options: { iterations, store: source }, machine: info, aim: { historyVsRaw: AIM_RATIO }, history, verify });
    console.log(`results: ${out}`);
  } finally {
    removeDir(dir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
