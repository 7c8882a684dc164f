/**
 * A realistic, reproducible history, for the read-side benchmarks (bench/support) and the CLI's `seed` (demo data):
 * leads, accounts, contacts and opportunities over the last 18 months, every event decided by the real deciders of
 * libs/domain.
 *
 *   for (const append of generateEvents({ events: 1_000_000, seed: 42 })) store.appendToStream(...)
 *
 * How it works: a discrete-event simulation. A min-heap of scheduled actions (ordered by business time, ties by
 * scheduling order) drives every record; each action builds a command, asks the record's decider, appends the
 * events it decides (a refusal is a generator bug: it throws), evolves the record's state and schedules the
 * record's next action. So the appends come out in timeline order, `metadata.occurredAt` never goes backwards,
 * and only records that still have something ahead of them are held in memory: a converted lead, a closed deal
 * that will not be reopened, a lead left to go stale are dropped the moment that is decided. Accounts (and their
 * contacts) are kept in a bounded pool of recent ones, which later leads from the same company are merged into.
 *
 * Everything random comes from one seeded PRNG (mulberry32), record ids and event ids included (UUIDs formatted
 * as v4); the conversion follow-ups get the deterministic ids the ConversionCompleter derives from the
 * LeadConverted event id. Same seed and window, same events, byte for byte. The default window is the last
 * `months` full calendar months (UTC) before the current month, so two runs in the same month agree; pass
 * `startDate` to pin it for good.
 *
 * Steered by an event count (the benches) or by a lead count (the CLI's `seed`):
 * - `events`: a small calibration run (same window, another seed) measures events per lead, the real run spreads
 *   slightly more leads than needed over the window and stops as soon as the requested count is reached (at the end
 *   of an action, so a conversion is never cut in half). The timeline therefore ends a few days before the window
 *   does; `summary().lastOccurredAt` says where.
 * - `leads`: exactly that many leads are spread over the window (each day's share rounded so that the days add up),
 *   and the simulation runs to the window's end; the events are whatever those leads make (`summary().events`).
 *   Leads created late in the window are simply still being worked, as in a live CRM.
 */
import {
  AccountCommand,
  AccountState,
  Bant,
  ContactChannel,
  ContactCommand,
  ContactState,
  DEFAULT_STAGE_CATALOGUE,
  Decider,
  DomainEvent,
  EVENT_SCHEMA_VERSIONS,
  LEAD_SOURCES,
  LeadCommand,
  LeadConversion,
  LeadDetails,
  LeadEvent,
  LeadRating,
  LeadSource,
  LeadState,
  OpportunityCommand,
  OpportunityEvent,
  OpportunityState,
  accountDecider,
  contactDecider,
  conversionFollowUps,
  createLeadDecider,
  createOpportunityDecider,
  isRefusal,
  streamIdFor,
} from '@pipeline-ledger/domain';
import type { EventMetadata, ExpectedRevision, NewEvent } from '@pipeline-ledger/event-store';
import { seededEventId } from '../../../api/src/write/event-ids';
import {
  COMPANY_FORMS,
  COMPANY_KINDS,
  COMPANY_STEMS,
  CONTACT_NOTES,
  CURRENCIES,
  DISQUALIFY_REASONS_GENERIC,
  DISQUALIFY_REASON_CODES,
  DISQUALIFY_REASON_FOR,
  EXPANSION_NAMES,
  FIRST_NAMES,
  INDUSTRIES,
  INDUSTRY_WEIGHTS,
  LAST_NAMES,
  LEAD_REOPEN_REASONS,
  LOSS_REASONS,
  LOSS_REASON_WEIGHTS,
  NURTURE_REASONS,
  OPPORTUNITY_REOPEN_REASONS,
  OWNERS,
  PRODUCTS,
  RATINGS,
  RATING_QUALITY,
  RATING_WEIGHTS,
  SOURCE_QUALITY,
  SOURCE_WEIGHTS,
  TITLES,
} from './generator-vocabulary';
import { Prng } from './prng';

// ------------------------------------------------------------------------------------------------ public surface

export interface GenerateEventsOptions {
  /** How many events to generate (the last action may overshoot by a few: a conversion is never cut). Or `leads`. */
  events?: number;
  /** How many leads to create, exactly (the events are what they make over the window). Or `events`. */
  leads?: number;
  seed: number;
  /** First instant of the timeline. Default: the first day (UTC) of the month `months` months before this one. */
  startDate?: Date;
  /** Length of the timeline in calendar months. Default 18. */
  months?: number;
  /**
   * The actor of every event (`metadata.actor`). Default: whoever would have done it in the simulated business (the
   * record's owner, the web form, the privacy officer); the CLI's seed writes `seed`, so demo data says what it is.
   */
  actor?: string;
}

/** One append, in timeline order: pass it to `store.appendToStream(streamId, events, { expectedRevision })`. */
export interface GeneratedAppend {
  streamId: string;
  expectedRevision: ExpectedRevision;
  events: NewEvent[];
}

export interface GenerationSummary {
  seed: number;
  window: { start: string; end: string };
  /** occurredAt of the last generated event: where the timeline really stops. */
  lastOccurredAt: string | null;
  appends: number;
  events: number;
  eventsByType: Record<string, number>;
  /** Events per lead measured by the calibration run, and the number of leads the window was planned for. */
  calibration: { eventsPerLead: number; margin: number; plannedLeads: number } | null;
  leads: {
    created: number;
    converted: number;
    convertedWithOpportunity: number;
    convertedIntoExistingAccount: number;
    disqualifiedAtLeastOnce: number;
    reopened: number;
    nurtured: number;
    bySource: Record<string, number>;
    /** Status of every lead created, as it stands where the timeline stops. */
    byStatus: Record<string, number>;
  };
  opportunities: {
    created: number;
    fromConversions: number;
    expansions: number;
    reopened: number;
    byOutcome: { open: number; won: number; lost: number };
    byCurrency: Record<string, number>;
  };
  accounts: { created: number; mergedFromLeads: number };
  contacts: { created: number; mergedFromLeads: number };
  /** Records held in memory: now, and at most at any time (bounded memory). */
  liveRecords: number;
  peakLiveRecords: number;
}

export interface EventGenerator {
  /** The appends, lazily, in timeline order. Iterate once. */
  readonly appends: Generator<GeneratedAppend, void, undefined>;
  /** What has been generated so far (complete once `appends` is exhausted). */
  summary(): GenerationSummary;
}

/** The appends of a generated history, in timeline order (see the file comment). */
export function generateEvents(options: GenerateEventsOptions): Generator<GeneratedAppend, void, undefined> {
  return createEventGenerator(options).appends;
}

/** Like generateEvents, with access to the summary of what was generated. */
export function createEventGenerator(options: GenerateEventsOptions): EventGenerator {
  const { events, leads, seed } = options;
  if ((events === undefined) === (leads === undefined)) throw new RangeError('give either events or leads');
  if (events !== undefined && (!Number.isSafeInteger(events) || events < 1)) throw new RangeError(`events must be a positive integer, got ${events}`);
  if (leads !== undefined && (!Number.isSafeInteger(leads) || leads < 1)) throw new RangeError(`leads must be a positive integer, got ${leads}`);
  if (options.actor !== undefined && options.actor.trim() === '') throw new RangeError('actor must not be empty');
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const months = options.months ?? 18;
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`months must be a positive integer, got ${months}`);
  const start = options.startDate ? options.startDate.getTime() : defaultStartDate(months).getTime();
  if (!Number.isFinite(start)) throw new RangeError('startDate is not a valid date');
  // occurredAt must lie in the past: a window that reaches into the future stops at "now".
  const end = Math.min(addUtcMonths(start, months), Date.now());
  if (end <= start) throw new RangeError('the window must end after it starts (and start in the past)');
  const actor = options.actor;

  if (leads !== undefined) {
    const simulation = new PipelineSimulation({ seed, start, end, leadCount: leads, targetEvents: Infinity, exactLeads: true, actor });
    return { appends: simulation.run(), summary: () => simulation.summary() };
  }

  // Calibration: the same window with a few thousand leads (another seed) says how many events one lead makes.
  // About as many leads as the real run needs, 4,000 to 20,000 (a few seconds at most): the more, the closer the
  // estimate, and the same scale as the real run (the account pool fills the same way).
  const calibrationLeads = Math.round(clamp((events as number) / 7.3, 4000, 20_000));
  const calibration = new PipelineSimulation({ seed: (seed ^ 0x5bd1e995) | 0, start, end, leadCount: calibrationLeads, targetEvents: Infinity });
  for (const _ of calibration.run()) void _;
  const measured = calibration.summary();
  const eventsPerLead = measured.events / Math.max(1, measured.leads.created);
  // A little more than needed, so the count is reached near the end of the window rather than short of it: about
  // 2.5 standard deviations of the estimate and of the run's own spread (events per lead vary by ~90% of the mean).
  const neededLeads = (events as number) / eventsPerLead;
  const margin = 1 + 2.5 * 0.9 * Math.sqrt(1 / Math.max(1, measured.leads.created) + 1 / Math.max(1, neededLeads));
  const plannedLeads = Math.max(1, Math.ceil(neededLeads * margin));

  const simulation = new PipelineSimulation({ seed, start, end, leadCount: plannedLeads, targetEvents: events as number, actor });
  simulation.calibration = { eventsPerLead: round(eventsPerLead, 3), margin: round(margin, 3), plannedLeads };
  return { appends: simulation.run(), summary: () => simulation.summary() };
}

/** The first day (UTC) of the month `months` months before the current one: the window is the last full months. */
export function defaultStartDate(months = 18, now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
}

// ------------------------------------------------------------------------------------------------ time

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function addUtcMonths(t: number, months: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

const iso = (t: number) => new Date(t).toISOString();
const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);
const dateToMs = (date: string) => Date.parse(`${date}T00:00:00.000Z`);
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const clamp = (x: number, min: number, max: number) => Math.min(max, Math.max(min, x));

/** Leads per day, relative: a growing business, a summer and a December dip, quiet weekends. */
const MONTH_FACTOR = [1.0, 1.05, 1.1, 1.05, 1.0, 0.95, 0.85, 0.8, 1.05, 1.1, 1.05, 0.75];
const WEEKDAY_FACTOR = [0.12, 1.0, 1.05, 1.05, 1.0, 0.9, 0.15]; // Sunday .. Saturday

// ------------------------------------------------------------------------------------------------ records in memory

interface StreamRecord<S> {
  readonly id: string;
  readonly streamId: string;
  state: S;
  /** Revision of the stream's last event; -1: no stream yet. */
  revision: number;
}

interface LeadRecord extends StreamRecord<LeadState> {
  /** Probability that an assessment finds the lead qualified. */
  quality: number;
  contactsLeft: number;
  touchesLeft: number;
  /** The reason of a disqualification that is planned. */
  plannedReason: string | null;
  /** A pooled account of the same company, when the lead came from an existing customer. */
  targetAccount: AccountEntry | null;
  reopens: number;
  disqualified: boolean;
  nurtured: boolean;
}

interface AccountEntry extends StreamRecord<AccountState> {
  readonly name: string;
  /** Contacts of the account, kept while the account is pooled (at most a few). */
  readonly contacts: StreamRecord<ContactState>[];
  pooled: boolean;
}

type Fate = 'won' | 'lost' | 'stall';

interface OpportunityRecord extends StreamRecord<OpportunityState> {
  readonly company: string;
  fate: Fate;
  /** Index in the open stages where this deal stops moving forward (then closes, or stalls). */
  targetIndex: number;
  slipsLeft: number;
  reopens: number;
  backSteps: number;
}

type LeadStep = 'contact' | 'assess' | 'nurture' | 'touch' | 'reassess' | 'disqualify' | 'reopen' | 'convert';
type OpportunityStep = 'advance' | 'close' | 'reopen' | 'slip';

type Action =
  | { kind: 'day' }
  | { kind: 'createLead' }
  | { kind: 'lead'; step: LeadStep; lead: LeadRecord }
  | { kind: 'opportunity'; step: OpportunityStep; opportunity: OpportunityRecord }
  | { kind: 'expansion'; accountId: string; company: string; owner: string; currency: string | null };

interface Scheduled {
  t: number;
  seq: number;
  action: Action;
}

/** A binary min-heap of scheduled actions by (time, scheduling order): deterministic order for equal times. */
class ActionHeap {
  private readonly items: Scheduled[] = [];

  get size(): number {
    return this.items.length;
  }

  peekTime(): number {
    return this.items[0].t;
  }

  push(item: Scheduled): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): Scheduled {
    const items = this.items;
    const top = items[0];
    const last = items.pop() as Scheduled;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l], items[m])) m = l;
        if (r < items.length && before(items[r], items[m])) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

// ------------------------------------------------------------------------------------------------ the simulation

interface SimulationOptions {
  seed: number;
  start: number;
  end: number;
  /** Leads spread over the window. */
  leadCount: number;
  /** Stop (at the end of an action) once this many events were generated. */
  targetEvents: number;
  /** Create exactly leadCount leads, all inside the window (otherwise about that many, randomly rounded per day). */
  exactLeads?: boolean;
  /** Every event's actor, instead of the simulated one. */
  actor?: string;
}

interface Campaign {
  name: string;
  sources: readonly LeadSource[];
  from: number;
  to: number;
}

const catalogue = DEFAULT_STAGE_CATALOGUE;
const OPEN_STAGES = catalogue.openStages().map((s) => s.name);
const WON_STAGE = catalogue.wonStage().name;
const LOST_STAGE = catalogue.lostStage().name;
const LOST_TARGET_WEIGHTS = [10, 18, 18, 16, 12, 10, 9, 7];
const CONTACTS_KEPT_PER_ACCOUNT = 6;
/** The web form (POST /intake/leads) whose leads send it again now and then. */
const WEB_FORM_ID = '5d0f7a52-3c1e-4b8a-9f6d-2e7c8a1b4f30';
/** Who erases people (an admin, through POST /people/:id/erase). */
const ERASING_ADMIN = 'user:privacy-officer';

class PipelineSimulation {
  private readonly rng: Prng;
  private readonly leadDecider: Decider<LeadCommand, LeadState, LeadEvent>;
  private readonly opportunityDecider: Decider<OpportunityCommand, OpportunityState, OpportunityEvent>;
  private readonly heap = new ActionHeap();
  private seq = 0;
  private readonly out: GeneratedAppend[] = [];
  private readonly campaigns: Campaign[];
  private readonly owners: { name: string; weight: number; from: number; to: number }[];
  private readonly leadsPerUnitFactor: number;
  /** Recent accounts (with a few of their contacts) that later leads of the same company may be merged into. */
  private readonly pool: AccountEntry[] = [];
  private readonly poolSize: number;
  private poolNext = 0;
  /** exactLeads: the expected leads of the days so far, and the leads scheduled for them. */
  private expectedLeadsSoFar = 0;
  private leadsScheduled = 0;
  /** Records with something still ahead of them, by stream id. */
  private readonly live = new Map<string, StreamRecord<unknown>>();
  calibration: GenerationSummary['calibration'] = null;

  // counters for the summary
  private appends = 0;
  private events = 0;
  private lastOccurredAt: number | null = null;
  private peakLive = 0;
  private readonly eventsByType: Record<string, number> = {};
  private readonly leadStats = {
    created: 0,
    converted: 0,
    convertedWithOpportunity: 0,
    convertedIntoExistingAccount: 0,
    disqualifiedAtLeastOnce: 0,
    reopened: 0,
    nurtured: 0,
  };
  private readonly leadsBySource: Record<string, number> = {};
  private readonly leadsByStatus: Record<string, number> = {};
  private readonly opportunityStats = { created: 0, fromConversions: 0, expansions: 0, reopened: 0 };
  private readonly opportunitiesByOutcome = { open: 0, won: 0, lost: 0 };
  private readonly opportunitiesByCurrency: Record<string, number> = {};
  private readonly accountStats = { created: 0, mergedFromLeads: 0 };
  private readonly contactStats = { created: 0, mergedFromLeads: 0 };

  constructor(private readonly options: SimulationOptions) {
    this.rng = new Prng(options.seed);
    this.leadDecider = createLeadDecider(catalogue);
    this.opportunityDecider = createOpportunityDecider(catalogue);
    this.campaigns = campaignsFor(options.start, options.end);
    this.owners = OWNERS.map((o) => ({
      name: o.name,
      weight: o.weight,
      from: o.joinsAfterMonths ? addUtcMonths(options.start, o.joinsAfterMonths) : -Infinity,
      to: o.leavesAfterMonths ? addUtcMonths(options.start, o.leavesAfterMonths) : Infinity,
    }));
    let factors = 0;
    for (let day = startOfDay(options.start); day < options.end; day += DAY) factors += this.dayFactor(day);
    this.leadsPerUnitFactor = options.leadCount / factors;
    // About the accounts of the last four months, whatever the scale (one lead in ~3.5 makes an account).
    this.poolSize = Math.round(clamp(options.leadCount / 3.5 / (monthsBetween(options.start, options.end) / 4), 200, 50_000));
  }

  *run(): Generator<GeneratedAppend, void, undefined> {
    const { end, targetEvents } = this.options;
    this.schedule(startOfDay(this.options.start), { kind: 'day' });
    while (this.heap.size > 0 && this.events < targetEvents) {
      if (this.heap.peekTime() >= end) break; // everything left lies beyond the window: in the future
      const { t, action } = this.heap.pop();
      this.perform(t, action);
      for (let i = 0; i < this.out.length; i++) yield this.out[i];
      this.out.length = 0;
    }
  }

  summary(): GenerationSummary {
    return {
      seed: this.options.seed,
      window: { start: iso(this.options.start), end: iso(this.options.end) },
      lastOccurredAt: this.lastOccurredAt === null ? null : iso(this.lastOccurredAt),
      appends: this.appends,
      events: this.events,
      eventsByType: { ...this.eventsByType },
      calibration: this.calibration,
      leads: { ...this.leadStats, bySource: { ...this.leadsBySource }, byStatus: { ...this.leadsByStatus } },
      opportunities: { ...this.opportunityStats, byOutcome: { ...this.opportunitiesByOutcome }, byCurrency: { ...this.opportunitiesByCurrency } },
      accounts: { ...this.accountStats },
      contacts: { ...this.contactStats },
      liveRecords: this.live.size,
      peakLiveRecords: this.peakLive,
    };
  }

  // -------------------------------------------------------------------------------------------- plumbing

  private schedule(t: number, action: Action): void {
    this.heap.push({ t, seq: this.seq++, action });
  }

  /** A time `days` after t, in office hours (UTC) and mostly on a weekday; always after t. */
  private later(t: number, days: number): number {
    if (days < 1) return t + 5 * MINUTE + Math.floor(this.rng.float() * Math.max(days, 0.02) * 10 * HOUR);
    let day = startOfDay(t + days * DAY);
    const weekday = new Date(day).getUTCDay();
    if (weekday === 6 && this.rng.chance(0.88)) day += 2 * DAY;
    else if (weekday === 0 && this.rng.chance(0.88)) day += DAY;
    const time = day + this.officeHour();
    return time > t ? time : t + 5 * MINUTE + Math.floor(this.rng.float() * 2 * HOUR);
  }

  /** Milliseconds into a UTC day: mostly office hours around the middle of the day (several time zones). */
  private officeHour(): number {
    if (this.rng.chance(0.1)) return Math.floor(this.rng.float() * DAY);
    const bell = (this.rng.float() + this.rng.float() + this.rng.float()) / 3;
    return Math.floor((7 + bell * 12) * HOUR + this.rng.float() * HOUR);
  }

  private meta(actor: string, t: number): EventMetadata {
    // As an HTTP request without X-Correlation-Id: one command id, both the correlation and the causation.
    const commandId = this.rng.uuid();
    return { actor: this.options.actor ?? actor, correlationId: commandId, causationId: commandId, occurredAt: iso(t) };
  }

  /**
   * Decides a command on a record's current state, appends what it decides and evolves the state.
   * A refusal means the generator asked for something the service would refuse: a bug here, so it throws.
   */
  private exec<C extends { type: string }, S, E extends DomainEvent>(
    record: StreamRecord<S>,
    decider: Decider<C, S, E>,
    command: C,
    metadata: EventMetadata,
    eventId: (index: number) => string = () => this.rng.uuid(),
  ): NewEvent[] {
    const decision = decider.decide(command, record.state);
    if (isRefusal(decision)) {
      throw new Error(
        `event generator bug: ${command.type} on ${record.streamId} (revision ${record.revision}) was refused: ` +
          `${decision.code}: ${decision.message}\ncommand: ${JSON.stringify(command)}\nstate: ${JSON.stringify(record.state)}`,
      );
    }
    if (decision.length === 0) return [];
    const events: NewEvent[] = decision.map((event, index) => ({
      eventId: eventId(index),
      type: event.type,
      schemaVersion: EVENT_SCHEMA_VERSIONS[event.type as keyof typeof EVENT_SCHEMA_VERSIONS],
      data: event.data as Record<string, unknown>,
      metadata,
    }));
    let state = record.state;
    for (const event of decision) state = decider.evolve(state, event);
    const expectedRevision: ExpectedRevision = record.revision < 0 ? 'no_stream' : record.revision;
    record.state = state;
    record.revision += events.length;
    this.out.push({ streamId: record.streamId, expectedRevision, events });
    this.appends += 1;
    this.events += events.length;
    for (const event of events) this.eventsByType[event.type] = (this.eventsByType[event.type] ?? 0) + 1;
    this.lastOccurredAt = Date.parse(metadata.occurredAt);
    return events;
  }

  private execLead(lead: LeadRecord, command: LeadCommand, metadata: EventMetadata): NewEvent[] {
    const before = lead.state.status;
    const events = this.exec(lead, this.leadDecider, command, metadata);
    const after = lead.state.status;
    if (before !== after) {
      if (before) this.leadsByStatus[before] -= 1;
      if (after) this.leadsByStatus[after] = (this.leadsByStatus[after] ?? 0) + 1;
    }
    return events;
  }

  private execOpportunity(
    opportunity: OpportunityRecord,
    command: OpportunityCommand,
    metadata: EventMetadata,
    eventId?: (index: number) => string,
  ): NewEvent[] {
    const before = opportunity.state.exists ? outcomeOf(opportunity.state) : null;
    const events = this.exec(opportunity, this.opportunityDecider, command, metadata, eventId);
    const after = outcomeOf(opportunity.state);
    if (before !== after) {
      if (before) this.opportunitiesByOutcome[before] -= 1;
      this.opportunitiesByOutcome[after] += 1;
    }
    return events;
  }

  private keep(record: StreamRecord<unknown>): void {
    this.live.set(record.streamId, record);
    if (this.live.size > this.peakLive) this.peakLive = this.live.size;
  }

  private drop(record: StreamRecord<unknown>): void {
    this.live.delete(record.streamId);
  }

  private perform(t: number, action: Action): void {
    switch (action.kind) {
      case 'day':
        return this.startDay(t);
      case 'createLead':
        return this.createLead(t);
      case 'lead':
        if (!this.live.has(action.lead.streamId)) throw new Error(`event generator bug: ${action.lead.streamId} is not live`);
        return this.leadStep(t, action.step, action.lead);
      case 'opportunity':
        if (!this.live.has(action.opportunity.streamId)) throw new Error(`event generator bug: ${action.opportunity.streamId} is not live`);
        return this.opportunityStep(t, action.step, action.opportunity);
      case 'expansion':
        return this.createExpansion(t, action);
    }
  }

  // -------------------------------------------------------------------------------------------- arrivals

  private dayFactor(day: number): number {
    const { start, end } = this.options;
    const d = new Date(day);
    const growth = 0.75 + 0.5 * ((day - start) / Math.max(DAY, end - start));
    return growth * MONTH_FACTOR[d.getUTCMonth()] * WEEKDAY_FACTOR[d.getUTCDay()];
  }

  /** Schedules the day's new leads (randomised rounding of the expected number) and the next day. */
  private startDay(day: number): void {
    const { start, end, leadCount, exactLeads } = this.options;
    const expected = this.leadsPerUnitFactor * this.dayFactor(day);
    let count: number;
    if (exactLeads) {
      // The running total rounded: the days add up to leadCount exactly (the last day takes what is left).
      this.expectedLeadsSoFar += expected;
      const total = day + DAY >= end ? leadCount : Math.min(leadCount, Math.round(this.expectedLeadsSoFar));
      count = Math.max(0, total - this.leadsScheduled);
      this.leadsScheduled += count;
    } else {
      count = Math.floor(expected + this.rng.float());
    }
    const from = Math.max(day, start);
    for (let i = 0; i < count; i++) {
      let t = day + this.officeHour();
      t = t < from ? from + Math.floor(this.rng.float() * HOUR) : t;
      // Every lead inside the window (one planned beyond its end would never be created).
      if (exactLeads && t >= end) t = from + Math.floor(this.rng.float() * (end - from));
      this.schedule(t, { kind: 'createLead' });
    }
    if (day + DAY < this.options.end) this.schedule(day + DAY, { kind: 'day' });
  }

  private activeOwners(t: number) {
    return this.owners.filter((o) => o.from <= t && t < o.to);
  }

  private pickOwner(t: number): string {
    const active = this.activeOwners(t);
    return this.rng.weighted(
      active.map((o) => o.name),
      active.map((o) => o.weight),
    );
  }

  private isActiveOwner(owner: string | null, t: number): boolean {
    const o = this.owners.find((x) => x.name === owner);
    return o !== undefined && o.from <= t && t < o.to;
  }

  private pickSource(t: number): LeadSource {
    const afterShow = this.campaigns.some((c) => c.sources.includes('Trade Show') && c.from <= t && t < c.to);
    return this.rng.weighted(
      LEAD_SOURCES,
      LEAD_SOURCES.map((s) => (s === 'Trade Show' ? (afterShow ? 40 : 2) : SOURCE_WEIGHTS[s])),
    );
  }

  private pickCampaign(source: LeadSource, t: number): string | null {
    const running = this.campaigns.filter((c) => c.from <= t && t < c.to && c.sources.includes(source));
    const share: Partial<Record<LeadSource, number>> = { Webinar: 0.92, 'Trade Show': 0.95, Advertisement: 0.8, Partner: 0.6, Social: 0.5, 'Web Form': 0.3 };
    if (running.length === 0 || !this.rng.chance(share[source] ?? 0)) return null;
    return this.rng.pick(running).name;
  }

  private companyName(): { company: string; domain: string; phonePrefix: string } {
    const stem = this.rng.pick(COMPANY_STEMS);
    const kind = this.rng.pick(COMPANY_KINDS);
    const form = this.rng.weighted(COMPANY_FORMS, COMPANY_FORMS.map((f) => f.weight));
    const company = [stem, kind, form.suffix].filter(Boolean).join(' ');
    const domain = `${stem}${kind}`.toLowerCase().replace(/[^a-z]/g, '') + '.' + form.tld;
    return { company, domain, phonePrefix: form.phone };
  }

  private phone(prefix: string): string {
    return `${prefix} ${this.rng.int(20, 99)} ${this.rng.int(100, 999)} ${this.rng.int(1000, 9999)}`;
  }

  private pooledAccount(): AccountEntry | null {
    const filled = this.pool.length;
    if (filled === 0) return null;
    return this.pool[this.rng.int(0, filled - 1)] ?? null;
  }

  private addToPool(account: AccountEntry): void {
    const evicted = this.pool[this.poolNext];
    if (evicted) evicted.pooled = false; // its leads, if any, will convert into a new account
    this.pool[this.poolNext] = account;
    account.pooled = true;
    this.poolNext = (this.poolNext + 1) % this.poolSize;
  }

  // -------------------------------------------------------------------------------------------- leads

  private createLead(t: number): void {
    const rng = this.rng;
    const source = this.pickSource(t);
    const rating = rng.weighted(RATINGS, RATING_WEIGHTS) as LeadRating | null;
    // About one lead in nine comes from a company that is already a (recent) account.
    const target = rng.chance(0.11) ? this.pooledAccount() : null;
    const fresh = this.companyName();
    const company = target ? target.name : fresh.company;
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const details: LeadDetails = {
      firstName: rng.chance(0.95) ? first : null,
      lastName: last,
      company,
      title: rng.chance(0.65) ? rng.pick(TITLES) : null,
      email: rng.chance(0.86) ? `${first}.${last}@${fresh.domain}`.toLowerCase().replace(/'/g, '') : null,
      phone: rng.chance(0.5) ? this.phone(fresh.phonePrefix) : null,
      source,
      campaign: this.pickCampaign(source, t),
      industry: target?.state.details?.industry ?? (rng.chance(0.7) ? rng.weighted(INDUSTRIES, INDUSTRY_WEIGHTS) : null),
      rating,
    };
    const owner = target?.state.owner && this.isActiveOwner(target.state.owner, t) && rng.chance(0.7) ? target.state.owner : this.pickOwner(t);
    const id = rng.uuid();
    const lead: LeadRecord = {
      id,
      streamId: streamIdFor('lead', id),
      state: this.leadDecider.initialState,
      revision: -1,
      quality: clamp(SOURCE_QUALITY[source] + RATING_QUALITY[rating ?? 'none'] + (target ? 0.08 : 0), 0.03, 0.9),
      contactsLeft: 0,
      touchesLeft: 0,
      plannedReason: null,
      targetAccount: target,
      reopens: 0,
      disqualified: false,
      nurtured: false,
    };
    this.execLead(lead, { type: 'CreateLead', leadId: id, at: iso(t), details, owner }, this.meta(owner, t));
    this.leadStats.created += 1;
    this.leadsBySource[source] = (this.leadsBySource[source] ?? 0) + 1;
    this.keep(lead);

    if (rng.chance(0.06)) {
      // Never reached: some are closed as unresponsive after a while, the rest just go stale.
      if (rng.chance(0.45)) return this.leadNext(lead, 'disqualify', this.later(t, rng.between(20, 75)), 'Unresponsive');
      return this.drop(lead);
    }
    lead.contactsLeft = rng.weighted([1, 2, 3, 4], [30, 35, 22, 13]);
    const firstTouch = rating === 'Hot' ? rng.logNormal(0.3, 0.8) : rng.logNormal(1.6, 0.9);
    this.leadNext(lead, 'contact', this.later(t, firstTouch));
  }

  private leadNext(lead: LeadRecord, step: LeadStep, t: number, reason: string | null = null): void {
    lead.plannedReason = reason;
    this.schedule(t, { kind: 'lead', step, lead });
  }

  private leadStep(t: number, step: LeadStep, lead: LeadRecord): void {
    this.reassignLeadIfOwnerLeft(lead, t);
    switch (step) {
      case 'contact':
        return this.contactLead(lead, t);
      case 'assess':
        return this.assessLead(lead, t);
      case 'nurture':
        return this.nurtureLead(lead, t);
      case 'touch':
        return this.nurtureTouch(lead, t);
      case 'reassess':
        return this.reassessLead(lead, t);
      case 'disqualify':
        return this.disqualifyLead(lead, t);
      case 'reopen':
        return this.reopenLead(lead, t);
      case 'convert':
        return this.convertLead(lead, t);
    }
  }

  private owner(lead: LeadRecord): string {
    return lead.state.owner as string;
  }

  private reassignLeadIfOwnerLeft(lead: LeadRecord, t: number): void {
    if (this.isActiveOwner(lead.state.owner, t)) return;
    const owner = this.pickOwner(t);
    this.execLead(lead, { type: 'ChangeLeadOwner', leadId: lead.id, at: iso(t), owner }, this.meta(owner, t));
  }

  private contactLead(lead: LeadRecord, t: number): void {
    const rng = this.rng;
    const first = lead.state.contactCount === 0;
    if (first && rng.chance(0.03)) {
      // Routed to another rep (territory, language).
      const owner = this.pickOwner(t);
      this.execLead(lead, { type: 'ChangeLeadOwner', leadId: lead.id, at: iso(t), owner }, this.meta(this.owner(lead), t));
    }
    if (first && rng.chance(0.12)) this.updateLeadDetails(lead, t);
    if (first && lead.state.details?.source === 'Web Form' && rng.chance(0.04)) this.submitFormAgain(lead, t);
    const channel: ContactChannel = rng.weighted(['email', 'call', 'meeting', 'other'] as const, [45, 40, 10, 5]);
    const note = rng.chance(0.5) ? rng.pick(CONTACT_NOTES) : null;
    this.execLead(lead, { type: 'LogLeadContact', leadId: lead.id, at: iso(t), channel, note }, this.meta(this.owner(lead), t));
    lead.contactsLeft -= 1;
    if (lead.contactsLeft > 0) return this.leadNext(lead, 'contact', this.later(t, rng.logNormal(4, 0.6)));
    this.leadNext(lead, 'assess', this.later(t, rng.logNormal(3, 0.7)));
  }

  /** Before anyone reached them, the person sent the web form again: the intake records it on the lead (LeadDuplicateSubmitted). */
  private submitFormAgain(lead: LeadRecord, t: number): void {
    const d = lead.state.details as LeadDetails;
    const command: LeadCommand = {
      type: 'RecordDuplicateSubmission',
      leadId: lead.id,
      at: iso(t),
      formId: WEB_FORM_ID,
      submissionId: this.rng.uuid(),
      matchedOn: d.email ? 'email' : 'name-and-company',
      submitted: { firstName: d.firstName, lastName: d.lastName, email: d.email, phone: d.phone, company: d.company, title: d.title },
    };
    this.execLead(lead, command, this.meta(`form:${WEB_FORM_ID}`, t));
  }

  /** What a first conversation teaches: a title, a phone number, a better rating, a corrected email. */
  private updateLeadDetails(lead: LeadRecord, t: number): void {
    const rng = this.rng;
    const d = lead.state.details as LeadDetails;
    const changes: Partial<LeadDetails> = {};
    if (d.title === null || rng.chance(0.2)) changes.title = rng.pick(TITLES);
    if (d.phone === null && rng.chance(0.6)) changes.phone = this.phone('+1');
    if (rng.chance(0.4)) changes.rating = rng.pick(['Hot', 'Warm', 'Cold'] as const);
    if (d.email !== null && rng.chance(0.15)) changes.email = d.email.replace('@', '.work@');
    if (d.industry === null && rng.chance(0.5)) changes.industry = rng.weighted(INDUSTRIES, INDUSTRY_WEIGHTS);
    this.execLead(lead, { type: 'UpdateLeadDetails', leadId: lead.id, at: iso(t), changes }, this.meta(this.owner(lead), t));
  }

  private assessLead(lead: LeadRecord, t: number): void {
    const rng = this.rng;
    if (rng.chance(lead.quality)) {
      const timeline = rng.chance(0.7);
      this.recordBant(lead, t, { budget: true, authority: true, need: true, timeline });
      if (!timeline && rng.chance(0.65)) return this.leadNext(lead, 'nurture', this.later(t, rng.between(0, 3)));
      if (rng.chance(0.95)) return this.leadNext(lead, 'convert', this.later(t, rng.logNormal(6, 0.8)));
      return this.leadNext(lead, 'disqualify', this.later(t, rng.between(5, 30)), 'Went with competitor');
    }
    if (rng.chance(0.65)) {
      const bant = this.unqualifiedBant();
      this.recordBant(lead, t, bant);
      const r = rng.float();
      const missing = (['budget', 'authority', 'need'] as const).filter((k) => !bant[k]);
      if (r < 0.55) return this.leadNext(lead, 'disqualify', this.later(t, rng.between(0, 5)), DISQUALIFY_REASON_FOR[rng.pick(missing)]);
      if (r < 0.8) return this.leadNext(lead, 'nurture', this.later(t, rng.between(0, 5)));
      return this.drop(lead); // left in Working - Contacted
    }
    if (rng.chance(0.65)) return this.leadNext(lead, 'disqualify', this.later(t, rng.between(1, 10)), rng.pick(DISQUALIFY_REASONS_GENERIC));
    this.drop(lead); // goes stale
  }

  private unqualifiedBant(): Bant {
    const rng = this.rng;
    const bant = { budget: rng.chance(0.5), authority: rng.chance(0.55), need: rng.chance(0.6), timeline: rng.chance(0.4) };
    if (bant.budget && bant.authority && bant.need) bant[rng.pick(['budget', 'authority', 'need'] as const)] = false;
    return bant;
  }

  private recordBant(lead: LeadRecord, t: number, bant: Bant): void {
    const note = this.rng.chance(0.3) ? (bant.budget && bant.authority && bant.need ? 'Good fit' : 'Not a fit right now') : null;
    this.execLead(lead, { type: 'RecordLeadQualification', leadId: lead.id, at: iso(t), bant, note }, this.meta(this.owner(lead), t));
  }

  private nurtureLead(lead: LeadRecord, t: number): void {
    const rng = this.rng;
    this.execLead(lead, { type: 'StartLeadNurture', leadId: lead.id, at: iso(t), reason: rng.pick(NURTURE_REASONS) }, this.meta(this.owner(lead), t));
    if (!lead.nurtured) this.leadStats.nurtured += 1;
    lead.nurtured = true;
    lead.touchesLeft = rng.int(1, 3);
    this.leadNext(lead, 'touch', this.later(t, rng.between(20, 60)));
  }

  private nurtureTouch(lead: LeadRecord, t: number): void {
    const rng = this.rng;
    const channel: ContactChannel = rng.chance(0.7) ? 'email' : 'call';
    const note = rng.pick(['Newsletter follow-up', 'Campaign email', 'Check-in call', null]);
    this.execLead(lead, { type: 'LogLeadContact', leadId: lead.id, at: iso(t), channel, note }, this.meta(this.owner(lead), t));
    lead.touchesLeft -= 1;
    if (lead.touchesLeft > 0) return this.leadNext(lead, 'touch', this.later(t, rng.between(20, 60)));
    this.leadNext(lead, 'reassess', this.later(t, rng.between(3, 14)));
  }

  private reassessLead(lead: LeadRecord, t: number): void {
    const rng = this.rng;
    if (rng.chance(Math.min(0.9, lead.quality * 1.15))) {
      this.recordBant(lead, t, { budget: true, authority: true, need: true, timeline: true });
      return this.leadNext(lead, 'convert', this.later(t, rng.between(2, 15)));
    }
    if (rng.chance(0.7)) this.recordBant(lead, t, this.unqualifiedBant());
    if (rng.chance(0.5)) return this.leadNext(lead, 'disqualify', this.later(t, rng.between(0, 7)), rng.pick(['No budget', 'Unresponsive', 'No need']));
    this.drop(lead); // stays in Nurturing
  }

  private disqualifyLead(lead: LeadRecord, t: number): void {
    const rng = this.rng;
    const reason = lead.plannedReason ?? 'Unresponsive';
    const reasonCode = DISQUALIFY_REASON_CODES[reason] ?? 'other';
    this.execLead(lead, { type: 'DisqualifyLead', leadId: lead.id, at: iso(t), reasonCode, reason }, this.meta(this.owner(lead), t));
    if (!lead.disqualified) this.leadStats.disqualifiedAtLeastOnce += 1;
    lead.disqualified = true;
    const r = rng.float();
    if (lead.reopens === 0 && r < 0.08) return this.leadNext(lead, 'reopen', this.later(t, rng.between(30, 200)));
    if (lead.reopens === 0 && r < 0.12) {
      lead.reopens += 1; // nurtured back from disqualified: counts as its second chance
      return this.leadNext(lead, 'nurture', this.later(t, rng.between(30, 150)));
    }
    // Now and then the person asks to be forgotten (POST /people/:id/erase, by an admin).
    if (rng.chance(0.01)) this.execLead(lead, { type: 'EraseLeadPersonalData', leadId: lead.id, at: iso(t) }, this.meta(ERASING_ADMIN, t));
    this.drop(lead);
  }

  private reopenLead(lead: LeadRecord, t: number): void {
    const rng = this.rng;
    this.execLead(lead, { type: 'ReopenLead', leadId: lead.id, at: iso(t), reason: rng.pick(LEAD_REOPEN_REASONS) }, this.meta(this.owner(lead), t));
    this.leadStats.reopened += 1;
    lead.reopens += 1;
    lead.quality = Math.min(0.9, lead.quality + 0.15);
    lead.contactsLeft = rng.int(1, 2);
    this.leadNext(lead, 'contact', this.later(t, rng.between(1, 5)));
  }

  /** POST /leads/:id/convert as ConvertLeadHandler.prepare builds it, then the completer's follow-ups. */
  private convertLead(lead: LeadRecord, t: number): void {
    const rng = this.rng;
    const details = lead.state.details as LeadDetails;
    const target = lead.targetAccount?.pooled && rng.chance(0.9) ? lead.targetAccount : null;
    const existingContact = target && target.contacts.length > 0 && rng.chance(0.3) ? rng.pick(target.contacts) : null;
    const accountId = target ? target.id : rng.uuid();
    const opportunity = rng.chance(0.86)
      ? {
          opportunityId: rng.uuid(),
          name: rng.chance(0.55) ? `${details.company} - ${rng.pick(PRODUCTS)}` : details.company,
          stage: rng.weighted(OPEN_STAGES.slice(0, 3), [70, 20, 10]),
          closeDate: isoDate(t + rng.logNormal(75, 0.4) * DAY),
          ...this.money(rng.chance(0.78) ? this.pickCurrency() : null),
        }
      : null;
    const command: LeadCommand = {
      type: 'ConvertLead',
      leadId: lead.id,
      at: iso(t),
      account: target ? { mode: 'existing', accountId } : { mode: 'new', accountId, name: details.company },
      contact: existingContact
        ? { mode: 'existing', contactId: existingContact.id, accountId: existingContact.state.accountId as string }
        : { mode: 'new', contactId: rng.uuid() },
      opportunity,
    };
    const [converted] = this.execLead(lead, command, this.meta(this.owner(lead), t));
    this.leadStats.converted += 1;
    if (opportunity) this.leadStats.convertedWithOpportunity += 1;
    if (target) this.leadStats.convertedIntoExistingAccount += 1;
    this.drop(lead); // converted: read-only for ever
    // Now and then the new contact asks to be forgotten (POST /people/:id/erase): the contact and the lead it came from.
    const forget = (converted.data as unknown as LeadConversion).contact.created && this.rng.chance(0.003);
    this.completeConversion(converted, target, existingContact, forget);
    if (forget) this.execLead(lead, { type: 'EraseLeadPersonalData', leadId: lead.id, at: iso(t) }, this.meta(ERASING_ADMIN, t));
  }

  /**
   * Exactly what apps/api/src/conversion/conversion-completer.ts writes for a LeadConverted event: the same commands,
   * built from the event's data alone, with the event's actor, correlation id and occurredAt, causationId = the
   * LeadConverted event id, and event ids seeded by `${eventId}|account` (|contact, |opportunity).
   */
  private completeConversion(converted: NewEvent, existingAccount: AccountEntry | null, existingContact: StreamRecord<ContactState> | null, eraseContact: boolean): void {
    const c = converted.data as unknown as LeadConversion;
    const m = converted.metadata;
    const ctx = (part: string) => ({
      metadata: { actor: m.actor, correlationId: m.correlationId, causationId: converted.eventId, occurredAt: m.occurredAt } as EventMetadata,
      eventId: (index: number) => seededEventId(`${converted.eventId}|${part}`, index),
    });
    const at = c.convertedAt;
    const { account, contact, opportunity } = c;

    let accountEntry: AccountEntry;
    if (account.created) {
      accountEntry = { id: account.accountId, streamId: streamIdFor('account', account.accountId), state: accountDecider.initialState, revision: -1, name: account.name, contacts: [], pooled: false };
    } else {
      if (!existingAccount || existingAccount.id !== account.accountId) throw new Error(`event generator bug: account ${account.accountId} is not pooled`);
      accountEntry = existingAccount;
    }
    const followUps = conversionFollowUps(c);
    const accountCommand: AccountCommand = followUps.account;
    const a = ctx('account');
    this.exec(accountEntry, accountDecider, accountCommand, a.metadata, a.eventId);
    if (account.created) {
      this.accountStats.created += 1;
      this.addToPool(accountEntry);
    } else {
      this.accountStats.mergedFromLeads += 1;
    }

    let contactRecord: StreamRecord<ContactState>;
    if (contact.created) {
      contactRecord = { id: contact.contactId, streamId: streamIdFor('contact', contact.contactId), state: contactDecider.initialState, revision: -1 };
    } else {
      if (!existingContact || existingContact.id !== contact.contactId) throw new Error(`event generator bug: contact ${contact.contactId} is not pooled`);
      contactRecord = existingContact;
    }
    const contactCommand: ContactCommand = followUps.contact;
    const k = ctx('contact');
    this.exec(contactRecord, contactDecider, contactCommand, k.metadata, k.eventId);
    if (contact.created && eraseContact) {
      // Erased: never pooled, so no later lead is merged into it (the decider would refuse that).
      this.contactStats.created += 1;
      this.exec(contactRecord, contactDecider, { type: 'EraseContactPersonalData', contactId: contact.contactId, at }, this.meta(ERASING_ADMIN, Date.parse(at)));
    } else if (contact.created) {
      this.contactStats.created += 1;
      if (accountEntry.contacts.length < CONTACTS_KEPT_PER_ACCOUNT) accountEntry.contacts.push(contactRecord);
    } else {
      this.contactStats.mergedFromLeads += 1;
    }

    if (opportunity) {
      const o = ctx('opportunity');
      const record = this.newOpportunity(opportunity.opportunityId, account.name);
      this.execOpportunity(record, followUps.opportunity!, o.metadata, o.eventId);
      this.opportunityStats.fromConversions += 1;
      this.openedOpportunity(record, Date.parse(at), [30, 43, 27]);
    }
  }

  // -------------------------------------------------------------------------------------------- opportunities

  private pickCurrency(): string {
    return this.rng.weighted(CURRENCIES, CURRENCIES.map((c) => c.weight)).code;
  }

  /** A deal size in minor units of the currency: log-normal around USD 18k, rounded as people round prices. */
  private money(currency: string | null, usdMedian = 18_000): { amount: number | null; currency: string | null } {
    if (currency === null) return { amount: null, currency: null };
    const c = CURRENCIES.find((x) => x.code === currency) as (typeof CURRENCIES)[number];
    const usd = clamp(this.rng.logNormal(usdMedian, 0.9), 1_500, 900_000);
    const units = Math.max(c.roundTo, Math.round((usd * c.perUsd) / c.roundTo) * c.roundTo);
    return { amount: units * c.minorUnits, currency };
  }

  private newOpportunity(id: string, company: string): OpportunityRecord {
    return {
      id,
      streamId: streamIdFor('opportunity', id),
      state: this.opportunityDecider.initialState,
      revision: -1,
      company,
      fate: 'stall',
      targetIndex: 0,
      slipsLeft: 0,
      reopens: 0,
      backSteps: 0,
    };
  }

  private openedOpportunity(opportunity: OpportunityRecord, t: number, fateWeights: readonly number[]): void {
    this.opportunityStats.created += 1;
    const currency = opportunity.state.currency ?? 'none';
    this.opportunitiesByCurrency[currency] = (this.opportunitiesByCurrency[currency] ?? 0) + 1;
    this.keep(opportunity);
    this.planFate(opportunity, fateWeights);
    this.opportunityNext(opportunity, 'advance', this.later(t, this.rng.logNormal(9, 0.6)));
  }

  /** Where this deal is heading: won (through the last stages), lost (somewhere on the way) or stalled. */
  private planFate(opportunity: OpportunityRecord, weights: readonly number[]): void {
    const rng = this.rng;
    opportunity.fate = rng.weighted(['won', 'lost', 'stall'] as const, weights);
    const last = OPEN_STAGES.length - 1;
    if (opportunity.fate === 'won') opportunity.targetIndex = rng.chance(0.85) ? last : last - 1;
    else if (opportunity.fate === 'lost') opportunity.targetIndex = rng.weighted(OPEN_STAGES.map((_, i) => i), LOST_TARGET_WEIGHTS);
    else opportunity.targetIndex = rng.int(0, last - 1);
    opportunity.slipsLeft = opportunity.fate === 'stall' ? rng.int(0, 3) : 0;
  }

  private opportunityNext(opportunity: OpportunityRecord, step: OpportunityStep, t: number): void {
    this.schedule(t, { kind: 'opportunity', step, opportunity });
  }

  private opportunityStep(t: number, step: OpportunityStep, opportunity: OpportunityRecord): void {
    const s = opportunity.state;
    if (!this.isActiveOwner(s.owner, t) || this.rng.chance(0.012)) {
      const owner = this.pickOwner(t);
      this.execOpportunity(opportunity, { type: 'ChangeOpportunityOwner', opportunityId: opportunity.id, at: iso(t), owner }, this.meta(owner, t));
    }
    switch (step) {
      case 'advance':
        return this.advance(opportunity, t);
      case 'close':
        return this.close(opportunity, t);
      case 'reopen':
        return this.reopenOpportunity(opportunity, t);
      case 'slip':
        return this.slip(opportunity, t);
    }
  }

  private actor(opportunity: OpportunityRecord): string {
    return opportunity.state.owner as string;
  }

  private changeCloseDate(opportunity: OpportunityRecord, t: number, closeDate: string): void {
    this.execOpportunity(opportunity, { type: 'ChangeOpportunityCloseDate', opportunityId: opportunity.id, at: iso(t), closeDate }, this.meta(this.actor(opportunity), t));
  }

  private advance(opportunity: OpportunityRecord, t: number): void {
    const rng = this.rng;
    const s = opportunity.state;
    // A deal about to miss its close date is pushed out; now and then one is pulled in.
    if (dateToMs(s.closeDate as string) < t + 7 * DAY && rng.chance(0.8)) this.changeCloseDate(opportunity, t, isoDate(t + rng.logNormal(40, 0.4) * DAY));
    else if (rng.chance(0.05)) this.changeCloseDate(opportunity, t, isoDate(Math.max(t + 10 * DAY, dateToMs(s.closeDate as string) - rng.between(7, 30) * DAY)));

    const current = OPEN_STAGES.indexOf(s.stage as string);
    if (current >= opportunity.targetIndex) return this.reachedTarget(opportunity, t);
    let next: number;
    if (opportunity.backSteps === 0 && current > 0 && rng.chance(0.04)) {
      next = current - 1; // back a step: the champion left, the scope changed
      opportunity.backSteps += 1;
    } else {
      next = Math.min(opportunity.targetIndex, current + rng.weighted([1, 2, 3], [75, 20, 5]));
    }
    const stage = OPEN_STAGES[next];
    this.execOpportunity(opportunity, { type: 'ChangeOpportunityStage', opportunityId: opportunity.id, at: iso(t), stage, lossReason: null }, this.meta(this.actor(opportunity), t));
    this.adjustAmount(opportunity, t, stage);
    if (rng.chance(0.12)) this.overrideProbability(opportunity, t);
    if (next >= opportunity.targetIndex) return this.reachedTarget(opportunity, t, true);
    this.opportunityNext(opportunity, 'advance', this.later(t, rng.logNormal(11, 0.6)));
  }

  private reachedTarget(opportunity: OpportunityRecord, t: number, justMoved = false): void {
    const rng = this.rng;
    if (opportunity.fate !== 'stall') return this.opportunityNext(opportunity, 'close', this.later(t, justMoved ? rng.logNormal(10, 0.6) : rng.between(0, 3)));
    if (opportunity.slipsLeft > 0) return this.opportunityNext(opportunity, 'slip', this.later(t, rng.between(20, 60)));
    this.drop(opportunity); // stays open where it is
  }

  private adjustAmount(opportunity: OpportunityRecord, t: number, stage: string): void {
    const rng = this.rng;
    const s = opportunity.state;
    let change: { amount: number; currency: string } | null = null;
    const scaled = (factor: number) => {
      const c = CURRENCIES.find((x) => x.code === s.currency) as (typeof CURRENCIES)[number];
      const step = c.roundTo * c.minorUnits;
      return { amount: Math.max(step, Math.round(((s.amount as number) * factor) / step) * step), currency: s.currency as string };
    };
    if (stage === 'Needs Analysis' || stage === 'Value Proposition') {
      if (s.amount === null && rng.chance(0.7)) change = this.money(this.pickCurrency()) as { amount: number; currency: string };
      else if (s.amount !== null && rng.chance(0.2)) change = scaled(rng.between(0.7, 1.4));
    } else if (stage === 'Proposal/Price Quote') {
      if (s.amount === null && rng.chance(0.9)) change = this.money(this.pickCurrency()) as { amount: number; currency: string };
      else if (s.amount !== null && rng.chance(0.35)) change = scaled(rng.between(0.8, 1.25));
    } else if (stage === 'Negotiation/Review' && s.amount !== null && rng.chance(0.3)) {
      change = scaled(rng.between(0.8, 0.97)); // the discount
    }
    if (change && s.amount !== null && rng.chance(0.015)) {
      // Re-quoted in another currency (the customer's entity changed).
      const other = CURRENCIES.filter((c) => c.code !== s.currency).map((c) => c.code);
      change = this.money(rng.pick(other)) as { amount: number; currency: string };
    }
    if (!change) return;
    this.execOpportunity(opportunity, { type: 'ChangeOpportunityAmount', opportunityId: opportunity.id, at: iso(t), ...change }, this.meta(this.actor(opportunity), t));
  }

  private overrideProbability(opportunity: OpportunityRecord, t: number): void {
    const current = opportunity.state.probability as number;
    const probability = clamp(Math.round((current + this.rng.normal() * 15) / 5) * 5, 5, 95);
    this.execOpportunity(opportunity, { type: 'OverrideOpportunityProbability', opportunityId: opportunity.id, at: iso(t), probability }, this.meta(this.actor(opportunity), t));
  }

  private close(opportunity: OpportunityRecord, t: number): void {
    const rng = this.rng;
    const won = opportunity.fate === 'won';
    // The close date is set to the real one before closing (a closed deal's close date cannot change).
    if (rng.chance(won ? 0.55 : 0.3)) this.changeCloseDate(opportunity, t, isoDate(t));
    const at = iso(t);
    const meta = this.meta(this.actor(opportunity), t);
    const id = opportunity.id;
    if (won) {
      const command: OpportunityCommand = rng.chance(0.65)
        ? { type: 'CloseOpportunityWon', opportunityId: id, at }
        : { type: 'ChangeOpportunityStage', opportunityId: id, at, stage: WON_STAGE, lossReason: null };
      this.execOpportunity(opportunity, command, meta);
      if (opportunity.reopens === 0 && rng.chance(0.025)) return this.opportunityNext(opportunity, 'reopen', this.later(t, rng.between(2, 20)));
      if (rng.chance(0.15)) {
        this.schedule(this.later(t, rng.between(90, 300)), {
          kind: 'expansion',
          accountId: opportunity.state.accountId as string,
          company: opportunity.company,
          owner: opportunity.state.owner as string,
          currency: opportunity.state.currency,
        });
      }
      return this.drop(opportunity);
    }
    const reason = rng.weighted(LOSS_REASONS, LOSS_REASON_WEIGHTS);
    const command: OpportunityCommand = rng.chance(0.6)
      ? { type: 'CloseOpportunityLost', opportunityId: id, at, reason }
      : { type: 'ChangeOpportunityStage', opportunityId: id, at, stage: LOST_STAGE, lossReason: reason };
    this.execOpportunity(opportunity, command, meta);
    if (opportunity.reopens < 2 && rng.chance(0.09)) return this.opportunityNext(opportunity, 'reopen', this.later(t, rng.between(20, 120)));
    this.drop(opportunity);
  }

  private reopenOpportunity(opportunity: OpportunityRecord, t: number): void {
    const rng = this.rng;
    const s = opportunity.state;
    const wasWon = s.isWon;
    const lastOpen = Math.max(0, OPEN_STAGES.indexOf(s.lastOpenStage ?? OPEN_STAGES[0]));
    const stage = rng.chance(0.7) ? null : OPEN_STAGES[rng.int(0, lastOpen)];
    const reason = wasWon ? rng.pick(['Booked in error', 'Order not signed yet', null]) : rng.pick(OPPORTUNITY_REOPEN_REASONS);
    this.execOpportunity(opportunity, { type: 'ReopenOpportunity', opportunityId: opportunity.id, at: iso(t), stage, reason }, this.meta(this.actor(opportunity), t));
    this.opportunityStats.reopened += 1;
    opportunity.reopens += 1;
    opportunity.backSteps = 0;
    this.planFate(opportunity, wasWon ? [55, 45, 0] : [40, 40, 20]);
    const current = OPEN_STAGES.indexOf(opportunity.state.stage as string);
    if (opportunity.targetIndex < current) opportunity.targetIndex = current;
    this.opportunityNext(opportunity, 'advance', this.later(t, wasWon ? rng.between(1, 10) : rng.logNormal(8, 0.6)));
  }

  private slip(opportunity: OpportunityRecord, t: number): void {
    const rng = this.rng;
    const from = Math.max(t, dateToMs(opportunity.state.closeDate as string));
    this.changeCloseDate(opportunity, t, isoDate(from + rng.between(30, 90) * DAY));
    opportunity.slipsLeft -= 1;
    if (opportunity.slipsLeft > 0) return this.opportunityNext(opportunity, 'slip', this.later(t, rng.between(30, 90)));
    this.drop(opportunity);
  }

  /** POST /opportunities on an account that bought before: an expansion or renewal, with no lead. */
  private createExpansion(t: number, action: Extract<Action, { kind: 'expansion' }>): void {
    const rng = this.rng;
    const owner = this.isActiveOwner(action.owner, t) ? action.owner : this.pickOwner(t);
    const id = rng.uuid();
    const record = this.newOpportunity(id, action.company);
    this.execOpportunity(
      record,
      {
        type: 'CreateOpportunity',
        opportunityId: id,
        at: iso(t),
        accountId: action.accountId,
        name: `${action.company} - ${rng.pick(EXPANSION_NAMES)}`,
        stage: rng.weighted([null, OPEN_STAGES[1], OPEN_STAGES[2]], [30, 45, 25]),
        closeDate: isoDate(t + rng.logNormal(60, 0.4) * DAY),
        ...this.money(rng.chance(0.85) ? (action.currency ?? this.pickCurrency()) : null, 12_000),
        owner,
        source: null,
        leadId: null,
      },
      this.meta(owner, t),
    );
    this.opportunityStats.expansions += 1;
    this.openedOpportunity(record, t, [45, 30, 25]);
  }
}

// ------------------------------------------------------------------------------------------------ helpers

function monthsBetween(start: number, end: number): number {
  return Math.max(1, (end - start) / (30.44 * DAY));
}

function startOfDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

function outcomeOf(state: OpportunityState): 'open' | 'won' | 'lost' {
  return !state.isClosed ? 'open' : state.isWon ? 'won' : 'lost';
}

/**
 * A few campaigns over the window: a webinar series per half-year, two trade shows a year (leads arrive in the
 * three weeks after), always-on paid search, the partner programme, and a yearly product launch.
 */
function campaignsFor(start: number, end: number): Campaign[] {
  const campaigns: Campaign[] = [
    { name: 'Always-on Paid Search', sources: ['Advertisement', 'Web Form'], from: start, to: end },
    { name: 'Partner Referral Program', sources: ['Partner', 'Referral'], from: start, to: end },
  ];
  const firstYear = new Date(start).getUTCFullYear();
  const lastYear = new Date(end).getUTCFullYear();
  for (let year = firstYear; year <= lastYear; year++) {
    const h1 = Date.UTC(year, 0, 1);
    const h2 = Date.UTC(year, 6, 1);
    campaigns.push({ name: `Webinar Series H1 ${year}`, sources: ['Webinar', 'Web Form'], from: h1, to: h2 });
    campaigns.push({ name: `Webinar Series H2 ${year}`, sources: ['Webinar', 'Web Form'], from: h2, to: Date.UTC(year + 1, 0, 1) });
    const spring = Date.UTC(year, 2, 18);
    const autumn = Date.UTC(year, 9, 7);
    campaigns.push({ name: `Spring Expo ${year}`, sources: ['Trade Show'], from: spring, to: spring + 21 * DAY });
    campaigns.push({ name: `Autumn Summit ${year}`, sources: ['Trade Show'], from: autumn, to: autumn + 21 * DAY });
    const launch = Date.UTC(year, 5, 3);
    campaigns.push({ name: `Product Launch ${year}`, sources: ['Social', 'Web Form', 'Advertisement'], from: launch, to: launch + 90 * DAY });
  }
  return campaigns.filter((c) => c.to > start && c.from < end);
}
