import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { mkdirSync } from 'node:fs';
import { SqliteEventStore } from '@pipeline-ledger/event-store';
import { ALL_PROJECTIONS, ProjectorRunner, SqliteReadModelStore } from '@pipeline-ledger/read-models';
import { ConfigError, loadConfig } from '../../api/src/config/app-config';

/**
 * pipeline-ledger: operations on the stores, from the command line. Settings come from the same environment
 * variables as the service (DATA_DIR, ...).
 */
const program = new Command()
  .name('pipeline-ledger')
  .description('Pipeline Ledger command line: rebuild read models (more commands come with later issues).');

program
  .command('rebuild')
  .description('rebuild projections from position 0 into fresh tables and swap them in (all when none is named)')
  .argument('[projections...]', `projection names: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`)
  .option('--batch <events>', 'events read from the store per page', (v) => positiveInt(v), 5000)
  .option('--no-progress', 'no progress bar (for logs)')
  .action(async (names: string[], options: { batch: number; progress: boolean }) => {
    const config = loadConfig();
    mkdirSync(config.dataDir, { recursive: true });
    const events = new SqliteEventStore({ filename: config.eventStoreFile });
    const store = new SqliteReadModelStore({ filename: config.readModelFile });
    const runner = new ProjectorRunner(events, store, ALL_PROJECTIONS, { rebuildBatchSize: options.batch, follow: false });
    const bar = new SingleBar({ format: '{bar} {percentage}% | {value}/{total} events | {speed} events/s | ETA {eta_formatted}', hideCursor: true }, Presets.shades_classic);
    const started = Date.now();
    let total = 0;
    try {
      for (const name of names) runner.projection(name); // unknown names fail before any work
      const head = await events.headPosition();
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

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : (error as Error).message);
  process.exit(1);
});
