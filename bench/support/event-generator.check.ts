/**
 * Self-check of the event generator (jest only runs libs/, apps/ and test/ specs, so this is a script that throws):
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/support/event-generator.check.ts [--events 20000 | --leads 3000] [--seed 7]
 *
 * Generates a history into a temporary SQLite event store through fillStore and checks that
 * (`--leads`: steered by the lead count, as the CLI's seed is, instead of the event count.)
 * 1. the store accepted every append with the revision the generator expected (fillStore checks each result), every
 *    stream is gap-free, positions follow the timeline (occurredAt never goes back) and all of it lies in the past;
 * 2. every event has the envelope the service writes (schema version, actor, correlation and causation ids, v4 ids);
 * 3. every LeadConverted has its follow-ups exactly as the ConversionCompleter writes them: the account (created or
 *    merged), the contact (created or merged) and the opportunity, with the LeadConverted's actor, correlation id and
 *    occurredAt, causationId = its event id, and the ids the completer derives; and running the real
 *    ConversionCompleter over every LeadConverted of the store writes nothing (it finds all of its writes done);
 * 4. the event type mix and the funnel are plausible (printed);
 * 5. two runs with the same seed produce the same event ids (and the same events), another seed other ids.
 */
import 'reflect-metadata';
import { DataKeyring, MasterKey, PersonalDataProtector, SqliteDataKeyStore } from '@pipeline-ledger/privacy';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DOMAIN_EVENT_TYPES, EVENT_SCHEMA_VERSIONS, LEAD_SOURCES, LeadConversion } from '@pipeline-ledger/domain';
import { SqliteEventStore, StoredEvent } from '@pipeline-ledger/event-store';
import { ConversionCompleter } from '../../apps/api/src/conversion/conversion-completer';
import { seededEventId } from '../../apps/api/src/write/event-ids';
import { EventSourcedRepository } from '../../apps/api/src/write/event-sourced.repository';
import { DEFAULT_RECORDS } from '../../apps/api/src/write/record-types';
import { createEventGenerator, GenerateEventsOptions } from '../../apps/cli/src/demo/event-generator';
import { fillStore } from './fill-store';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let checks = 0;
function check(condition: boolean, message: string): void {
  checks += 1;
  if (!condition) throw new Error(`CHECK FAILED: ${message}`);
}

function between(value: number, min: number, max: number, what: string): void {
  check(value >= min && value <= max, `${what} = ${value.toFixed(3)}, expected between ${min} and ${max}`);
}

const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const { values } = parseArgs({ args, options: { events: { type: 'string' }, leads: { type: 'string' }, seed: { type: 'string', default: '7' } } });
  const seed = Number(values.seed);
  const options: GenerateEventsOptions = values.leads !== undefined ? { leads: Number(values.leads), seed } : { events: Number(values.events ?? '20000'), seed };
  const dir = mkdtempSync(join(tmpdir(), 'event-generator-check-'));
  try {
    await run(options, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(options: GenerateEventsOptions, dir: string): Promise<void> {
  // ---- 1. into a store
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  const generator = createEventGenerator(options);
  const fill = await fillStore(store, generator.appends, { concurrency: 256 });
  const summary = generator.summary();
  console.log(
    `generated and appended ${fill.events.toLocaleString('en-US')} events in ${fill.appends.toLocaleString('en-US')} appends ` +
      `(${Math.round(fill.eventsPerSecond).toLocaleString('en-US')} events/s, ${fill.commits} commits, ` +
      `${fill.appendsPerCommit?.toFixed(1)} appends/commit), seed ${options.seed}, window ${summary.window.start.slice(0, 10)} .. ${summary.window.end.slice(0, 10)}`,
  );
  console.log('1. every append was accepted at the revision the generator expected (checked by fillStore for each one)');
  if (options.events !== undefined) check(fill.events >= options.events && fill.events < options.events + 10, `about ${options.events} events, got ${fill.events}`);
  if (options.leads !== undefined) check(summary.leads.created === options.leads, `exactly ${options.leads} leads, got ${summary.leads.created}`);

  const events: StoredEvent[] = [];
  for (let after: bigint | null = null; ; ) {
    const page = await store.readAll({ after, maxCount: 5000 });
    events.push(...page);
    if (page.length < 5000) break;
    after = page[page.length - 1].position;
  }
  check(events.length === fill.events, `the store holds ${events.length} events, ${fill.events} were appended`);

  const revisions = new Map<string, number>();
  const now = Date.now();
  const windowStart = Date.parse(summary.window.start);
  let previousOccurredAt = -Infinity;
  for (const e of events) {
    const expected = (revisions.get(e.streamId) ?? -1) + 1;
    check(e.revision === expected, `${e.streamId}: revision ${e.revision} follows ${expected - 1}`);
    revisions.set(e.streamId, e.revision);
    const occurredAt = Date.parse(e.metadata.occurredAt);
    check(occurredAt >= previousOccurredAt, `occurredAt goes back at position ${e.position}: ${e.metadata.occurredAt}`);
    check(occurredAt >= windowStart && occurredAt < now, `occurredAt ${e.metadata.occurredAt} lies in the window and in the past`);
    previousOccurredAt = occurredAt;
  }
  console.log(`   ${revisions.size.toLocaleString('en-US')} streams, all gap-free from revision 0; positions follow the timeline (occurredAt never goes back), all in the past`);

  // ---- 2. the envelope
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const causedBy = new Map<string, StoredEvent[]>();
  for (const e of events) {
    check(e.schemaVersion === EVENT_SCHEMA_VERSIONS[e.type as keyof typeof EVENT_SCHEMA_VERSIONS], `${e.type} has schema version ${e.schemaVersion}`);
    const m = e.metadata;
    check(typeof m.actor === 'string' && m.actor.length > 0, `${e.eventId} has an actor`);
    check(typeof m.correlationId === 'string' && typeof m.causationId === 'string', `${e.eventId} has correlation and causation ids`);
    const followUp = byId.get(m.causationId as string)?.type === 'LeadConverted';
    if (followUp) {
      causedBy.set(m.causationId as string, [...(causedBy.get(m.causationId as string) ?? []), e]);
      check(UUID_V5.test(e.eventId), `follow-up ${e.eventId} has a derived (v5) id`);
    } else {
      check(UUID_V4.test(e.eventId), `${e.eventId} is a v4 UUID`);
      check(m.causationId === m.correlationId, `${e.eventId}: a command's causation is its own command id`);
    }
  }
  console.log('2. every event: schema version of its type, actor, correlation and causation ids; ids are v4 UUIDs (follow-ups: the derived v5 ids)');

  // ---- 3. conversions and their follow-ups
  const conversions = events.filter((e) => e.type === 'LeadConverted');
  let followUps = 0;
  for (const converted of conversions) {
    const c = converted.data as unknown as LeadConversion;
    const expected: { part: string; stream: string; type: string }[] = [
      { part: 'account', stream: `account-${c.account.accountId}`, type: c.account.created ? 'AccountCreated' : 'AccountMergedFromLead' },
      { part: 'contact', stream: `contact-${c.contact.contactId}`, type: c.contact.created ? 'ContactCreated' : 'ContactMergedFromLead' },
      ...(c.opportunity ? [{ part: 'opportunity', stream: `opportunity-${c.opportunity.opportunityId}`, type: 'OpportunityCreated' }] : []),
    ];
    const caused = causedBy.get(converted.eventId) ?? [];
    check(caused.length === expected.length, `LeadConverted ${converted.eventId} has ${caused.length} follow-ups, expected ${expected.length}`);
    expected.forEach((x, i) => {
      const e = caused[i];
      const where = `follow-up ${x.part} of LeadConverted ${converted.eventId}`;
      check(e.eventId === seededEventId(`${converted.eventId}|${x.part}`, 0), `${where}: the completer's id`);
      check(e.streamId === x.stream && e.type === x.type, `${where}: ${e.type} in ${e.streamId}, expected ${x.type} in ${x.stream}`);
      check(e.position > converted.position, `${where}: after the LeadConverted`);
      check(
        e.metadata.actor === converted.metadata.actor &&
          e.metadata.correlationId === converted.metadata.correlationId &&
          e.metadata.occurredAt === converted.metadata.occurredAt,
        `${where}: the LeadConverted's actor, correlation id and occurredAt`,
      );
      const d = e.data as Record<string, unknown>;
      check(d['leadId'] === c.leadId, `${where}: names the lead`);
      if (x.type === 'AccountCreated') check(d['name'] === c.account.name && d['source'] === c.source && d['owner'] === c.owner, `${where}: account data`);
      if (x.type === 'ContactCreated') check(d['accountId'] === c.account.accountId && d['lastName'] === c.contact.lastName, `${where}: contact data`);
      if (x.type === 'OpportunityCreated') {
        const o = c.opportunity!;
        check(
          d['accountId'] === c.account.accountId && d['name'] === o.name && d['stage'] === o.stage && d['closeDate'] === o.closeDate &&
            d['amount'] === o.amount && d['currency'] === o.currency && d['source'] === c.source && d['owner'] === c.owner,
          `${where}: opportunity data`,
        );
      }
    });
    followUps += caused.length;
  }
  const completer = new ConversionCompleter(DEFAULT_RECORDS, new EventSourcedRepository(store, throwawayProtector()));
  const headBefore = await store.headPosition();
  for (const converted of conversions) await completer.complete(converted);
  check((await store.headPosition()) === headBefore, 'the real ConversionCompleter found every follow-up already written and wrote nothing');
  console.log(
    `3. ${conversions.length.toLocaleString('en-US')} LeadConverted, each with its ${followUps.toLocaleString('en-US')} follow-ups as the completer writes them ` +
      `(ids, streams, actor, correlation, causation, occurredAt, data); the real ConversionCompleter re-run over all of them wrote nothing`,
  );

  // ---- 4. plausibility
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  console.log('\n4. event type mix:');
  for (const [type, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) {
    console.log(`   ${type.padEnd(34)} ${n.toLocaleString('en-US').padStart(8)}  ${pct(n, events.length).padStart(6)}`);
  }
  for (const type of DOMAIN_EVENT_TYPES) check((counts[type] ?? 0) > 0, `at least one ${type}`);

  const leads = events.filter((e) => e.type === 'LeadCreated');
  if (options.leads !== undefined) check(leads.length === options.leads, `exactly ${options.leads} LeadCreated in the store, got ${leads.length}`);
  const sources = new Map<string, number>();
  for (const e of leads) sources.set(e.data['source'] as string, (sources.get(e.data['source'] as string) ?? 0) + 1);
  for (const source of LEAD_SOURCES) check((sources.get(source) ?? 0) > 0, `leads from source ${source}`);
  check(sources.get('Web Form')! > sources.get('Phone Inquiry')!, 'web forms bring more leads than phone inquiries');
  const owners = new Set(leads.map((e) => e.data['owner']));
  between(owners.size, 18, 20, 'owners of leads');
  const campaigns = new Set(leads.map((e) => e.data['campaign']).filter(Boolean));
  between(campaigns.size, 3, 15, 'campaigns');
  between(conversions.length / leads.length, 0.2, 0.35, 'conversions per lead');
  const withOpportunity = conversions.filter((e) => (e.data as unknown as LeadConversion).opportunity !== null).length;
  between(withOpportunity / conversions.length, 0.75, 0.95, 'conversions with an opportunity');
  between(counts['LeadContacted'] / leads.length, 1.5, 3.5, 'contacts logged per lead');
  between(counts['LeadDisqualified'] / leads.length, 0.25, 0.55, 'disqualifications per lead');
  const disqualifiedWithoutReason = events.filter((e) => e.type === 'LeadDisqualified' && !(e.data['reason'] as string)?.trim()).length;
  check(disqualifiedWithoutReason === 0, 'every disqualification has a reason');

  // Days from lead creation to conversion.
  const createdAt = new Map(leads.map((e) => [e.data['leadId'] as string, Date.parse(e.metadata.occurredAt)]));
  const days = conversions.map((e) => (Date.parse(e.metadata.occurredAt) - createdAt.get(e.data['leadId'] as string)!) / 86_400_000).sort((a, b) => a - b);
  const median = days[Math.floor(days.length / 2)];
  const p90 = days[Math.floor(days.length * 0.9)];
  between(median, 7, 60, 'median days to convert');
  between(p90, 30, 240, 'p90 days to convert');

  // Opportunities: outcome as it stands at the end.
  const outcome = new Map<string, string>();
  for (const e of events) {
    if (!e.streamId.startsWith('opportunity-')) continue;
    if (e.type === 'OpportunityCreated' || e.type === 'OpportunityStageChanged' || e.type === 'OpportunityReopened') {
      outcome.set(e.streamId, e.data['isClosed'] ? (e.data['isWon'] ? 'won' : 'lost') : 'open');
    }
  }
  const opportunities = outcome.size;
  const won = [...outcome.values()].filter((o) => o === 'won').length;
  const lost = [...outcome.values()].filter((o) => o === 'lost').length;
  between(won / opportunities, 0.15, 0.35, 'opportunities won');
  between(lost / opportunities, 0.25, 0.45, 'opportunities lost');
  const currencies = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'OpportunityCreated' && e.type !== 'OpportunityAmountChanged') continue;
    const currency = e.data['currency'] as string | null;
    if (currency) currencies.set(currency, (currencies.get(currency) ?? 0) + 1);
  }
  for (const currency of ['USD', 'EUR', 'GBP', 'JPY']) check((currencies.get(currency) ?? 0) > 0, `amounts in ${currency}`);
  check([...currencies.entries()].sort((a, b) => b[1] - a[1])[0][0] === 'USD', 'USD is the most common currency');
  const expansions = events.filter((e) => e.type === 'OpportunityCreated' && e.data['leadId'] === null).length;

  console.log(`\n   leads ${leads.length.toLocaleString('en-US')}: converted ${pct(conversions.length, leads.length)} (with an opportunity ${pct(withOpportunity, conversions.length)}, into an existing account ${pct(counts['AccountMergedFromLead'], conversions.length)}), disqualifications ${pct(counts['LeadDisqualified'], leads.length)}; days to convert: median ${median.toFixed(1)}, p90 ${p90.toFixed(1)}`);
  console.log(`   sources: ${[...sources.entries()].sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s} ${pct(n, leads.length)}`).join(', ')}`);
  console.log(`   owners ${owners.size}, campaigns ${campaigns.size}: ${[...campaigns].join(', ')}`);
  console.log(`   opportunities ${opportunities.toLocaleString('en-US')} (${expansions} expansions without a lead): won ${pct(won, opportunities)}, lost ${pct(lost, opportunities)}, open ${pct(opportunities - won - lost, opportunities)}; win rate ${pct(won, won + lost)}`);
  console.log(`   amounts by currency (created + changed): ${[...currencies.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  console.log(`   records in memory: ${summary.liveRecords} at the end, at most ${summary.peakLiveRecords}; timeline ends ${summary.lastOccurredAt}`);
  await store.close();

  // ---- 5. reproducible
  const digest = (opts: GenerateEventsOptions) => {
    const ids = createHash('sha256');
    const all = createHash('sha256');
    let n = 0;
    for (const append of createEventGenerator(opts).appends) {
      for (const e of append.events) ids.update(e.eventId);
      all.update(JSON.stringify(append));
      n += append.events.length;
    }
    return { ids: ids.digest('hex'), all: all.digest('hex'), n };
  };
  const stored = createHash('sha256');
  for (const e of events) stored.update(e.eventId);
  const storedIds = stored.digest('hex');
  const first = digest(options);
  const second = digest(options);
  const other = digest({ ...options, seed: options.seed + 1 });
  check(first.ids === storedIds, 'a new run with the same seed produces the ids stored by the first one, in the same order');
  check(first.ids === second.ids && first.all === second.all && first.n === second.n, 'two runs with the same seed produce identical event ids and events');
  check(other.ids !== first.ids, 'another seed produces other ids');
  console.log(`\n5. same seed, same ${first.n.toLocaleString('en-US')} event ids in the same order (sha256 ${first.ids.slice(0, 16)}..., = the stored ones) and identical appends (sha256 ${first.all.slice(0, 16)}...); seed ${options.seed + 1}: other ids (${other.ids.slice(0, 16)}...)`);
  console.log(`\nOK: ${checks.toLocaleString('en-US')} checks passed`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/** Personal-data sealing under a throwaway key (the generated events are written in the clear, as before encryption existed). */
function throwawayProtector(): PersonalDataProtector {
  return new PersonalDataProtector(new DataKeyring(new SqliteDataKeyStore({ filename: ':memory:' }), MasterKey.random()));
}
