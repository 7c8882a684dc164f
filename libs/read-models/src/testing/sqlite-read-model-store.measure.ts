/**
 * A measurement, not a test: what SqliteReadModelStore costs on this machine.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only libs/read-models/src/testing/sqlite-read-model-store.measure.ts [--writes|--sums]
 *
 * 1. writeBatch: batches of 5,000 entity upserts (lead-sized documents, the leads list's 11 indexed fields) plus
 *    5,000 increments to ~500 counter documents, into a rebuilding generation (indexes deferred) and into the
 *    active one (indexes maintained); getDocuments of the batch's 5,000 ids, as the runner does before applying;
 *    then activate (index build + ANALYZE).
 * 2. sum: a counter collection of 100,000 documents (stage x status x currency x owner x close date), grouped by
 *    stage (~10 groups), with a filter on an indexed field at several selectivities.
 * Files go to a temporary directory, removed afterwards.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CounterIncrement, Filter, ProjectionDefinition, ReadModelBatch } from '../read-model-store.port';
import { SqliteReadModelStore } from '../sqlite.read-model-store';

const BATCHES = 40;
const BATCH = 5000;
const STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];
const CURRENCIES = ['EUR', 'USD', 'GBP'];

const leadsDefinition: ProjectionDefinition = {
  name: 'measure-leads',
  version: 1,
  collections: [
    { name: 'measure_leads', indexedFields: ['status', 'source', 'owner', 'company', 'campaign', 'createdDay', 'createdAt', 'lastName', 'name', 'email', 'updatedAt'] },
    { name: 'measure_lead_counts', indexedFields: ['stage', 'status', 'currency', 'owner', 'closeDate'] },
  ],
};

const bucketsDefinition: ProjectionDefinition = {
  name: 'measure-pipeline',
  version: 1,
  collections: [{ name: 'measure_buckets', indexedFields: ['stage', 'status', 'currency', 'owner', 'closeDate'] }],
};

/** A UUID-shaped id derived from n: as random in the b-tree as the service's randomUUID() ids, yet repeatable. */
function leadId(n: number): string {
  const h = createHash('md5').update(String(n)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function lead(n: number, revision: number) {
  const createdAt = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString();
  return {
    id: leadId(n),
    status: ['Open - Not Contacted', 'Working - Contacted', 'Nurturing', 'Converted'][revision % 4],
    source: ['Web Form', 'Phone Inquiry', 'Partner Referral'][n % 3],
    owner: `owner-${n % 100}`,
    company: `Company ${n} Ltd`,
    campaign: `Campaign ${n % 20}`,
    createdDay: createdAt.slice(0, 10),
    createdAt,
    updatedAt: createdAt,
    firstName: 'Ada',
    lastName: `Lovelace ${n}`,
    name: `Ada Lovelace ${n}`,
    email: `ada.${n}@example.com`,
    phone: '+44 20 7946 0000',
    title: 'CTO',
    rating: 'Warm',
    revision,
  };
}

/** Counter g (0 <= g < 100,000 distinct): owner g % 100 and close date g / 100 make it unique. */
function counterIncrement(collection: string, g: number): CounterIncrement {
  const stage = (g * 7 + Math.floor(g / 100)) % 10;
  const status = stage === 8 ? 'won' : stage === 9 ? 'lost' : 'open';
  const group = { stage: STAGES[stage], status, currency: CURRENCIES[Math.floor(g / 1000) % 3], owner: `owner-${g % 100}`, closeDate: day(Math.floor(g / 100) % 1000) };
  return { collection, id: JSON.stringify(Object.values(group)), group, add: { count: 1, amount: 125_000, weightedAmount: 12_500 } };
}

function day(i: number): string {
  return new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

/** Batch b: half its leads new, half rewritten from the previous batch; increments over a window of 500 counters. */
function leadBatch(generation: number, b: number): ReadModelBatch {
  const upserts = Array.from({ length: BATCH }, (_, i) => {
    const n = b * (BATCH / 2) + ((i * 7919) % BATCH);
    return { collection: 'measure_leads', document: lead(n, b) };
  });
  const increments = Array.from({ length: BATCH }, (_, i) => counterIncrement('measure_lead_counts', b * 37 + (i % 500)));
  return { projection: leadsDefinition.name, generation, upserts, deletes: [], increments, checkpoint: BigInt((b + 1) * BATCH) };
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1], mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function measureWrites(store: SqliteReadModelStore): Promise<void> {
  await store.prepare(leadsDefinition);
  const { generation } = await store.beginRebuild(leadsDefinition);
  for (const [label, target, first] of [
    ['rebuilding generation (indexes deferred)', generation, 0],
    ['active generation (16 indexes maintained)', 1, 0],
  ] as const) {
    const write: number[] = [];
    const read: number[] = [];
    for (let b = first; b < first + BATCHES; b++) {
      const batch = leadBatch(target, b);
      let t = performance.now();
      await store.getDocuments(leadsDefinition.name, target, 'measure_leads', batch.upserts.map((u) => u.document.id));
      read.push(performance.now() - t);
      t = performance.now();
      await store.writeBatch(batch);
      write.push(performance.now() - t);
    }
    const w = stats(write.slice(5));
    const r = stats(read.slice(5));
    console.log(`writeBatch into the ${label}: ${BATCH} upserts + ${BATCH} increments (~500 counters)`);
    console.log(`  writeBatch   p50 ${ms(w.p50)}  p99 ${ms(w.p99)}  mean ${ms(w.mean)}  -> ${Math.round((BATCH / w.mean) * 1000).toLocaleString('en')} upserts/s`);
    console.log(`  getDocuments p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  (${BATCH} ids)`);
    console.log(`  both         ${Math.round((BATCH / (w.mean + r.mean)) * 1000).toLocaleString('en')} events/s if every event is one upsert + one increment`);
  }
  const t = performance.now();
  await store.activate(leadsDefinition.name, generation);
  const documents = (await store.find('measure_leads', { limit: 0 })).total;
  console.log(`activate: index build (16 indexes) + ANALYZE over ${documents.toLocaleString('en')} lead documents: ${ms(performance.now() - t)}`);
}

async function measureSums(store: SqliteReadModelStore): Promise<void> {
  await store.prepare(bucketsDefinition);
  const { generation } = await store.beginRebuild(bucketsDefinition);
  const ids = Array.from({ length: 100_000 }, (_, i) => i).sort(() => Math.random() - 0.5); // created in no useful order
  let t = performance.now();
  for (let i = 0; i < ids.length; i += BATCH) {
    const increments = ids.slice(i, i + BATCH).map((g) => counterIncrement('measure_buckets', g));
    await store.writeBatch({ projection: bucketsDefinition.name, generation, upserts: [], deletes: [], increments, checkpoint: BigInt(i + 1) });
  }
  const loaded = performance.now() - t;
  t = performance.now();
  await store.activate(bucketsDefinition.name, generation);
  const activated = performance.now() - t;
  const documents = (await store.find('measure_buckets', { limit: 0 })).total;
  console.log(`\nsum over ${documents.toLocaleString('en')} counter documents (loaded in ${ms(loaded)} as increments, activated in ${ms(activated)})`);

  const cases: Array<[string, Filter[], string[]]> = [
    ['owner = one of 100 (1%)', [{ field: 'owner', op: 'eq', value: 'owner-7' }], ['stage']],
    ['owner = one of 100, closeDate in a quarter', [{ field: 'owner', op: 'eq', value: 'owner-7' }, { field: 'closeDate', op: 'gte', value: day(300) }, { field: 'closeDate', op: 'lte', value: day(390) }], ['stage']],
    ['closeDate in a month (3%)', [{ field: 'closeDate', op: 'gte', value: day(300) }, { field: 'closeDate', op: 'lte', value: day(329) }], ['stage']],
    ['closeDate in a quarter (9%)', [{ field: 'closeDate', op: 'gte', value: day(300) }, { field: 'closeDate', op: 'lte', value: day(390) }], ['stage']],
    ['status = open (80%)', [{ field: 'status', op: 'eq', value: 'open' }], ['stage']],
    ['currency = EUR (33%), by stage x currency', [{ field: 'currency', op: 'eq', value: 'EUR' }], ['stage', 'currency']],
    ['no filter (100%)', [], ['stage']],
  ];
  for (const [label, filters, groupBy] of cases) {
    const query = { filters, groupBy, sum: ['count', 'amount', 'weightedAmount'] };
    for (let i = 0; i < 10; i++) await store.sum('measure_buckets', query);
    const samples: number[] = [];
    let rows = 0;
    const deadline = performance.now() + 2000;
    while (samples.length < 300 && (samples.length < 20 || performance.now() < deadline)) {
      const start = performance.now();
      rows = (await store.sum('measure_buckets', query)).length;
      samples.push(performance.now() - start);
    }
    const s = stats(samples);
    console.log(`  ${label.padEnd(46)} p50 ${ms(s.p50).padStart(8)}  p99 ${ms(s.p99).padStart(8)}  (${rows} groups, ${samples.length} runs)`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'read-models-measure-'));
  const store = new SqliteReadModelStore({ filename: join(dir, 'read-models.sqlite') });
  try {
    const only = process.argv.includes('--sums') ? 'sums' : process.argv.includes('--writes') ? 'writes' : null;
    if (only !== 'sums') await measureWrites(store);
    if (only !== 'writes') await measureSums(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
