#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { ChainBreak, ChainVerifier } from '@pipeline-ledger/event-store';
import { ALL_PROJECTIONS, ProjectorRunner } from '@pipeline-ledger/read-models';
import { streamIdFor } from '@pipeline-ledger/domain';
import { ConfigError, loadConfig } from '../../api/src/config/app-config';
import { RECORD_KINDS, RecordKind, historySubject } from '../../api/src/history/history-subjects';
import { recordHistory } from '../../api/src/history/record-history';
import { buildRecords } from '../../api/src/write/record-types';
import { openEventStores, openReadModelStore, openSealedEventStore } from '../../api/src/infrastructure/stores';
import { keysCommand } from './keys.command';
import { formsCommand } from './forms.commands';
import { importCommand } from './import.commands';
import { seedCommand } from './seed.command';

/**
 * pipeline-ledger: operations on the stores, from the command line. Settings come from the same environment
 * variables as the service (DATA_DIR, ...).
 */
const program = new Command()
  .name('pipeline-ledger')
  .description('Pipeline Ledger command line: rebuild read models, verify the event store\'s hash chains, replay a record\'s history, manage API keys.');

program.addCommand(keysCommand());
program.addCommand(formsCommand());
program.addCommand(importCommand());
program.addCommand(seedCommand());

program
  .command('rebuild')
  .description('rebuild projections from position 0 into fresh tables and swap them in (all when none is named)')
  .argument('[projections...]', `projection names: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`)
  .option('--batch <events>', 'events read from the store per page', (v) => positiveInt(v), 5000)
  .option('--no-progress', 'no progress bar (for logs)')
  .action(async (names: string[], options: { batch: number; progress: boolean }) => {
    const config = loadConfig();
    const events = openEventStores(config, (m) => console.error(m)); // personal fields opened (or erased), as the projector reads them
    const store = openReadModelStore(config);
    const runner = new ProjectorRunner(events.events, store, ALL_PROJECTIONS, { rebuildBatchSize: options.batch, follow: false });
    const bar = new SingleBar({ format: '{bar} {percentage}% | {value}/{total} events | {speed} events/s | ETA {eta_formatted}', hideCursor: true }, Presets.shades_classic);
    const started = Date.now();
    let total = 0;
    try {
      for (const name of names) runner.projection(name); // unknown names fail before any work
      const head = await events.events.headPosition();
      if (options.progress) bar.start(Number(head ?? 0n), 0, { speed: 0 });
      await runner.rebuild(names, (p) => {
        total = p.events;
        if (options.progress) bar.update(p.events, { speed: Math.round(p.events / Math.max((Date.now() - started) / 1000, 0.001)) });
      });
    } finally {
      if (options.progress) bar.stop();
      await runner.stop();
      await store.close();
      await events.close();
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`rebuilt ${names.length ? names.join(', ') : 'all projections'}: ${total} events in ${seconds.toFixed(1)} s (${Math.round(total / Math.max(seconds, 0.001))} events/s)`);
  });

program
  .command('verify')
  .description('recompute the hash chains of the event store (every stream, or one), and name the first event of each stream that does not match')
  .option('--stream <streamId>', 'one stream only, e.g. lead-<id>')
  .option('--no-progress', 'no progress bar (for logs)')
  .action(async (options: { stream?: string; progress: boolean }) => {
    const config = loadConfig();
    // The store as written, personal fields sealed: that is what the chains cover (erasure leaves them intact).
    const events = openSealedEventStore(config);
    const verifier = new ChainVerifier();
    const breaks: ChainBreak[] = [];
    const bar = new SingleBar({ format: '{bar} {percentage}% | {value}/{total} events | {speed} events/s | ETA {eta_formatted}', hideCursor: true }, Presets.shades_classic);
    const started = Date.now();
    let count = 0;
    try {
      if (options.stream) {
        for (const event of await events.readStream(options.stream)) {
          count++;
          const broken = verifier.check(event);
          if (broken) breaks.push(broken);
        }
      } else {
        const head = await events.headPosition();
        if (options.progress) bar.start(Number(head ?? 0n), 0, { speed: 0 });
        for (let after: bigint | null = null; ; ) {
          const page = await events.readAll({ after, maxCount: 5000 });
          for (const event of page) {
            const broken = verifier.check(event);
            if (broken) breaks.push(broken);
          }
          count += page.length;
          if (options.progress) bar.update(Number(page.at(-1)?.position ?? 0n), { speed: Math.round(count / Math.max((Date.now() - started) / 1000, 0.001)) });
          if (page.length < 5000) break;
          after = page[page.length - 1]!.position;
        }
      }
    } finally {
      if (options.progress && !options.stream) bar.stop();
      await events.close();
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `${count} events in ${seconds.toFixed(1)} s (${Math.round(count / Math.max(seconds, 0.001))} events/s): ${verifier.verified} verified, ` +
        `${verifier.unchained} written before hashes existed, ${breaks.length} stream(s) broken`,
    );
    for (const b of breaks) console.log(`BROKEN ${b.streamId} at revision ${b.revision} (event ${b.eventId}, ${b.type}, position ${b.position})`);
    if (options.stream && count === 0) {
      console.error(`no stream ${options.stream}`);
      process.exitCode = 1;
    }
    if (breaks.length) process.exitCode = 1;
  });

program
  .command('replay')
  .description("print a record's history as a timeline: every event, who and when, what it changed")
  .argument('<kind>', RECORD_KINDS.join(', '))
  .argument('<id>', 'the record id')
  .option('--json', 'one JSON object per event (JSON lines), with the state after it')
  .option('--as-of <instant>', 'the history as it stood at this ISO 8601 instant')
  .option('--basis <basis>', 'recorded (when the store recorded events) or occurred (business time)', 'recorded')
  .action(async (kind: string, id: string, options: { json?: boolean; asOf?: string; basis: string }) => {
    if (!(RECORD_KINDS as readonly string[]).includes(kind)) throw new InvalidArgumentError(`kind must be one of ${RECORD_KINDS.join(', ')}`);
    if (options.basis !== 'recorded' && options.basis !== 'occurred') throw new InvalidArgumentError('--basis must be recorded or occurred');
    if (options.asOf !== undefined && Number.isNaN(Date.parse(options.asOf))) throw new InvalidArgumentError('--as-of must be an ISO 8601 instant');
    const config = loadConfig();
    const records = buildRecords(config.stageCatalogue);
    const events = openEventStores(config, (m) => console.error(m));
    try {
      const stored = await events.events.readStream(streamIdFor(kind as RecordKind, id));
      const { record, present } = historySubject(records, kind as RecordKind);
      const history = recordHistory(record, id, stored, present, { asOf: options.asOf, basis: options.basis, page: 1, pageSize: Math.max(1, stored.length) });
      for (const entry of history.entries) {
        if (options.json) {
          console.log(JSON.stringify(entry));
          continue;
        }
        console.log(`${entry.occurredAt}  r${entry.revision}  ${entry.type}  by ${entry.actor}  (recorded ${entry.recordedAt}, correlation ${entry.correlationId})`);
        for (const c of entry.changes) console.log(`    ${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`);
      }
      if (!options.json) console.log(`${history.total} events${options.asOf ? ` as of ${options.asOf} (${options.basis} time)` : ''}`);
    } finally {
      await events.close();
    }
  });

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}


program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : (error as Error).message);
  process.exit(1);
});
