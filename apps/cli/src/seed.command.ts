import { Command, InvalidArgumentError } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../../api/src/config/app-config';
import { SeedProgress, SeedResult, seedDemo } from './demo/seed';
import { describeEventStore } from '../../api/src/infrastructure/stores';

/**
 * `seed --leads N`: a realistic, reproducible demo in an empty store (apps/cli/src/demo/seed.ts): N leads from every
 * source over the last 18 months, worked, nurtured, disqualified and converted; opportunities through the stages in
 * a few currencies, won and lost. Refuses a store that already holds events.
 */
export function seedCommand(): Command {
  return new Command('seed')
    .description('fill an empty event store with a realistic, reproducible demo (leads to won deals over 18 months), then build the read models')
    .requiredOption('--leads <count>', 'leads to create (exactly; the events are whatever they make)', (v) => wholeNumber(v, 1))
    .option('--seed <number>', 'PRNG seed: the same seed and window make the same records and ids', (v) => wholeNumber(v, 0), 42)
    .option('--months <count>', 'length of the timeline in months', (v) => wholeNumber(v, 1), 18)
    .option('--start-date <YYYY-MM-DD>', 'first day of the timeline (default: the first of the month --months months ago; pins the demo for good)', day)
    .option('--no-progress', 'no progress bar (for logs)')
    .action(async (options: { leads: number; seed: number; months: number; startDate?: Date; progress: boolean }) => {
      const config = loadConfig();
      const bars = options.progress ? progressBars() : null;
      let logged = 0;
      const onProgress = (p: SeedProgress) => {
        if (bars) return bars.update(p);
        // For logs: a line per tenth of the leads.
        if (p.phase === 'events' && (p.leads >= ((logged + 1) * p.totalLeads) / 10 || p.leads === p.totalLeads) && p.leads > 0) {
          logged = Math.floor((p.leads * 10) / p.totalLeads);
          console.log(`  ${p.leads.toLocaleString('en-US')} / ${p.totalLeads.toLocaleString('en-US')} leads, ${p.events.toLocaleString('en-US')} events, ${(p.elapsedMs / 1000).toFixed(1)} s`);
        }
      };
      if (!bars) console.log(`seeding ${options.leads.toLocaleString('en-US')} leads (seed ${options.seed}, ${options.months} months) into ${describeEventStore(config)}`);
      let result: SeedResult;
      try {
        result = await seedDemo(config, { leads: options.leads, seed: options.seed, months: options.months, startDate: options.startDate, onProgress, log: (m) => {
            bars?.stop();
            console.error(m);
          } });
      } finally {
        bars?.stop();
      }
      if (result.readModelsSkipped) console.error(result.readModelsSkipped);
      printSummary(result);
    });
}

function printSummary(r: SeedResult): void {
  const s = r.summary;
  const n = (x: number) => x.toLocaleString('en-US');
  const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : '-');
  const o = s.opportunities;
  const lines = [
    `seeded ${n(r.events)} events in ${r.writeSeconds.toFixed(1)} s (${n(Math.round(s.leads.created / Math.max(r.writeSeconds, 0.001)))} leads/s, ${n(Math.round(r.events / Math.max(r.writeSeconds, 0.001)))} events/s)` +
      (r.readModelSeconds !== null ? `, read models built in ${r.readModelSeconds.toFixed(1)} s` : '') +
      `; ${r.seconds.toFixed(1)} s in all`,
    `  timeline       ${s.window.start.slice(0, 10)} .. ${(s.lastOccurredAt ?? s.window.end).slice(0, 10)}, seed ${s.seed}, every event by actor "seed"`,
    `  leads          ${n(s.leads.created)}: converted ${n(s.leads.converted)} (${pct(s.leads.converted, s.leads.created)}), disqualified ${n(s.leads.disqualifiedAtLeastOnce)}, nurtured ${n(s.leads.nurtured)}`,
    `  accounts       ${n(s.accounts.created)}`,
    `  contacts       ${n(s.contacts.created)}`,
    `  opportunities  ${n(o.created)}: won ${n(o.byOutcome.won)}, lost ${n(o.byOutcome.lost)}, open ${n(o.byOutcome.open)}; currencies ${Object.entries(o.byCurrency)
      .filter(([c]) => c !== 'none')
      .sort((a, b) => b[1] - a[1])
      .map(([c]) => c)
      .join(', ')}`,
    `  erased people  ${n(r.erased)} (asked to be forgotten: their fields read "[erased]")`,
  ];
  console.log(lines.join('\n'));
}

function progressBars() {
  const format = (unit: string) => `{phase} {bar} {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | ETA {eta_formatted}`;
  let bar: SingleBar | null = null;
  let phase: SeedProgress['phase'] | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    update(p: SeedProgress): void {
      const speed = (done: number) => Math.round(done / Math.max(p.elapsedMs / 1000, 0.001));
      if (p.phase !== phase || bar === null) {
        stop();
        phase = p.phase;
        bar = new SingleBar({ format: format(p.phase === 'events' ? 'leads' : 'events'), hideCursor: true }, Presets.shades_classic);
        bar.start(p.phase === 'events' ? p.totalLeads : p.totalEvents, 0, { speed: 0, phase: p.phase === 'events' ? 'events     ' : 'read models' });
      }
      if (p.phase === 'events') bar!.update(p.leads, { speed: speed(p.leads) });
      else bar!.update(p.events, { speed: speed(p.events) });
    },
    stop,
  };
}

function wholeNumber(value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number of at least ${min}`);
  return n;
}

function day(value: string): Date {
  const date = new Date(`${value}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('must be a date YYYY-MM-DD');
  }
  if (date.getTime() >= Date.now()) throw new InvalidArgumentError('must lie in the past');
  return date;
}
