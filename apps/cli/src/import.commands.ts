import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { LEAD_SOURCES, LeadSource } from '@pipeline-ledger/domain';
import { loadConfig } from '../../api/src/config/app-config';
import { ImportSetupError } from '../../api/src/import/column-mapping';
import { CSV_ENCODINGS, CsvEncoding, CsvFileError } from '../../api/src/import/csv-rows';
import { ImportProgress, ImportReport, summarize, writeProblemsCsv } from '../../api/src/import/import-report';
import { ImportModule } from '../../api/src/import/import.module';
import { LeadImporter } from '../../api/src/import/lead-import';
import { OpportunityImporter } from '../../api/src/import/opportunity-import';

interface CommonOptions {
  mapping?: string;
  dryRun: boolean;
  encoding: CsvEncoding;
  owner?: string;
  actor: string;
  report?: string;
  json?: string;
  batch: number;
  progress: boolean;
  show: number;
}

/**
 * `import leads <file.csv>` and `import opportunities <file.csv>`: CSV files into the event store, through the
 * deciders (see apps/api/src/import). Runs beside the service or without it, on the same DATA_DIR; the service's
 * projector (or the next start, or `rebuild`) brings the read models up to date.
 */
export function importCommand(): Command {
  const command = new Command('import').description('import CSV files: leads (a list or an export), opportunities (history from another CRM)');

  withCommonOptions(command.command('leads'))
    .description('import leads from a CSV file: validated per row, duplicates (same email, or same name and company) reported and skipped')
    .argument('<file>', 'the CSV file (a header row naming the columns)')
    .addOption(new Option('--source <source>', 'the lead source of rows without one').choices(LEAD_SOURCES).default('Purchased List'))
    .action((file: string, options: CommonOptions & { source: LeadSource }) =>
      run(options, 'leads', (app, onProgress) =>
        app.get(LeadImporter).import(file, { dryRun: options.dryRun, mappingFile: options.mapping, encoding: options.encoding, owner: options.owner, source: options.source, actor: options.actor, batchSize: options.batch, onProgress }),
      ),
    );

  withCommonOptions(command.command('opportunities'))
    .description('import opportunities with their history (opened, closed, won or lost, on their own dates) from another CRM')
    .argument('<file>', 'the CSV file (a header row naming the columns)')
    .option('--currency <code>', 'the ISO 4217 currency of amounts without one', 'USD')
    .action((file: string, options: CommonOptions & { currency: string }) =>
      run(options, 'opportunities', (app, onProgress) =>
        app.get(OpportunityImporter).import(file, { dryRun: options.dryRun, mappingFile: options.mapping, encoding: options.encoding, owner: options.owner, currency: options.currency, actor: options.actor, batchSize: options.batch, onProgress }),
      ),
    );
  return command;
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--mapping <file.json>', 'column names and values to ours: {"columns": {"<header>": "<field>" | null}, "values": {"<field>": {"<theirs>": "<ours>"}}}')
    .option('--dry-run', 'validate and look for duplicates only: write nothing', false)
    .addOption(new Option('--encoding <encoding>', 'the text encoding of the file').choices(CSV_ENCODINGS).default('utf8'))
    .option('--owner <owner>', 'the owner of rows without one (default: the actor)')
    .option('--actor <actor>', 'who is importing, recorded on every event', 'import')
    .option('--report <file.csv>', 'write every rejected and duplicate row (line, outcome, reason, lead id) to this CSV file')
    .option('--json <file.json>', 'write the whole report as JSON (counts, every problem row, seconds, the process\'s peak memory)')
    .option('--show <n>', 'how many problem rows to print', (v) => nonNegativeInt(v), 20)
    .option('--batch <rows>', 'rows decided and written together (one transaction)', (v) => Math.max(1, nonNegativeInt(v)), 1000)
    .option('--no-progress', 'no progress bar (for logs)');
}

async function run(options: CommonOptions, noun: string, work: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>, onProgress: (p: ImportProgress) => void) => Promise<ImportReport>): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(ImportModule.forRoot(config), { logger: ['error', 'warn'] });
  const bar = new SingleBar({ format: '{bar} {percentage}% | {rows} rows | {speed} rows/s | ETA {eta_formatted}', hideCursor: true }, Presets.shades_classic);
  const started = Date.now();
  let barStarted = false;
  const onProgress = (p: ImportProgress) => {
    if (!options.progress) return;
    const payload = { rows: p.rows, speed: Math.round(p.rows / Math.max((Date.now() - started) / 1000, 0.001)) };
    if (!barStarted) {
      bar.start(p.totalBytes, 0, payload);
      barStarted = true;
    }
    bar.update(p.bytesRead, payload);
  };
  let report: ImportReport;
  try {
    report = await work(app, onProgress);
  } catch (error) {
    if (error instanceof ImportSetupError || error instanceof CsvFileError) {
      console.error(`nothing imported: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  } finally {
    if (barStarted) bar.stop();
    await app.close();
  }
  console.log(summarize(report, noun));
  for (const p of report.problems.slice(0, options.show)) console.log(`  line ${p.line}: ${p.outcome}: ${p.reason}`);
  if (report.problems.length > options.show) console.log(`  ... and ${report.problems.length - options.show} more${options.report ? '' : ' (--report <file.csv> writes them all)'}`);
  if (options.report) {
    await writeProblemsCsv(options.report, report.problems);
    console.log(`  every rejected and duplicate row: ${options.report}`);
  }
  if (options.json) {
    // maxRSS: this process's peak resident memory so far (KiB), its worker threads included.
    writeFileSync(options.json, `${JSON.stringify({ ...report, peakRssBytes: process.resourceUsage().maxRSS * 1024 }, null, 2)}\n`);
  }
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return n;
}
