import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CreateLead, LEAD_SOURCES, LeadSource } from '@pipeline-ledger/domain';
import { EventStore } from '@pipeline-ledger/event-store';
import { PersonalDataProtector } from '@pipeline-ledger/privacy';
import { READ_MODEL_STORE, ReadModelStore } from '@pipeline-ledger/read-models';
import { SEALED_EVENT_STORE } from '../infrastructure/storage.module';
import { CommandContext } from '../write/command-context';
import { BatchCommand } from '../write/event-sourced.repository';
import { ExecuteRecordBatchCommand } from '../write/execute-record-batch.command';
import { RECORDS, Records } from '../write/record-types';
import { ImportSetupError, loadMapping } from './column-mapping';
import { CsvEncoding } from './csv-rows';
import { ImportProgress, ImportReport, ReportBuilder, RowProblem } from './import-report';
import { KnownLeads } from './known-leads';
import { LEAD_FIELDS, LeadRows, PreparedLeadRow, ROW_ID_PURPOSE, openLeadRows } from './lead-rows';
import { openLeadRowsInWorker } from './rows-in-worker';

export { LEAD_FIELDS } from './lead-rows';

export interface LeadImportOptions {
  /** Validate and look for duplicates only; write nothing. */
  dryRun?: boolean;
  mappingFile?: string;
  encoding?: CsvEncoding;
  /** The source of rows without one (default Purchased List). */
  source?: LeadSource;
  /** The owner of rows without one (default: the actor). */
  owner?: string;
  /** Who imports, recorded on every event (default `import`). */
  actor?: string;
  /** Rows decided and appended together. Default 1000. */
  batchSize?: number;
  /** Read and validate the file on a worker thread, in parallel with the writing (default true). */
  workers?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * `import leads <file.csv>`: a purchased list or another system's export, row by row through the lead decider.
 *
 * Each row is validated as POST /leads validates a body (and `createdAt`, when given, becomes the lead's business
 * time): lead-rows.ts, on a worker thread while this one writes. A row is a duplicate when it has the email, or the
 * name and company, of a lead the store has (KnownLeads) or of an earlier row of the file; duplicates are reported
 * with the lead (or line) they match, and not imported. The rest are created in batches (ExecuteRecordBatchCommand:
 * the decider, the sealing of personal fields, the hash chain, and one batch append per thousand rows).
 *
 * Re-running the same file imports nothing twice: a row's lead id and event id are derived from its content, so a row
 * written before is found (the lead exists, its first event is that row's) and counted as already imported.
 */
@Injectable()
export class LeadImporter {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(RECORDS) private readonly records: Records,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(SEALED_EVENT_STORE) private readonly sealed: EventStore,
    private readonly protector: PersonalDataProtector,
  ) {}

  async import(file: string, options: LeadImportOptions = {}): Promise<ImportReport> {
    const started = performance.now();
    const actor = options.actor ?? 'import';
    const defaults = { source: options.source ?? 'Purchased List', owner: options.owner ?? actor };
    if (!(LEAD_SOURCES as readonly string[]).includes(defaults.source)) throw new ImportSetupError(`source must be one of: ${LEAD_SOURCES.join(', ')}`);
    const setup = {
      file,
      encoding: options.encoding,
      mapping: loadMapping(options.mappingFile, LEAD_FIELDS),
      digestKey: this.protector.digestKey(ROW_ID_PURPOSE),
      batchSize: options.batchSize ?? 1000,
    };
    const rows = options.workers === false ? await openLeadRows(setup) : await openLeadRowsInWorker(setup);
    try {
      return await this.importRows(file, rows, options, { actor, defaults, started });
    } finally {
      await rows.close();
    }
  }

  private async importRows(file: string, rows: LeadRows, options: LeadImportOptions, { actor, defaults, started }: { actor: string; defaults: { source: string; owner: string }; started: number }): Promise<ImportReport> {
    const now = new Date().toISOString();
    const correlationId = randomUUID();
    const known = new KnownLeads(this.readModels, this.sealed, this.protector);
    await known.load();

    const builder = new ReportBuilder({ file, correlationId, dryRun: !!options.dryRun, ignoredColumns: rows.ignored }, started);
    const { report } = builder;
    const problem = (p: RowProblem) => builder.problem(p);
    /** The rows of this file taken so far, by their email key and by their name-and-company key: their line and lead. */
    const takenByEmail = new Map<string, { line: number; leadId: string }>();
    const takenByName = new Map<string, { line: number; leadId: string }>();

    let writing: Promise<void> = Promise.resolve();
    for await (const batch of rows.batches) {
      report.rows += batch.rows;
      batch.problems.forEach(problem);
      const matches = batch.candidates.length ? await known.match(batch.candidates.map((c) => c.keys)) : [];
      const toWrite: PreparedLeadRow[] = [];
      batch.candidates.forEach((c, i) => {
        const byEmail = c.keys.emailKey ? takenByEmail.get(c.keys.emailKey) : undefined;
        const earlier = byEmail ?? (c.keys.nameAndCompanyKey ? takenByName.get(c.keys.nameAndCompanyKey) : undefined);
        if (earlier) return problem({ line: c.line, outcome: 'duplicate', reason: `same ${byEmail ? 'email' : 'name and company'} as line ${earlier.line}`, leadId: earlier.leadId });
        const match = matches[i];
        if (match && match.leadId === c.leadId) return void report.alreadyImported++;
        if (match) return problem({ line: c.line, outcome: 'duplicate', reason: `same ${match.matchedOn === 'email' ? 'email' : 'name and company'} as lead ${match.leadId}`, leadId: match.leadId });
        const taken = { line: c.line, leadId: c.leadId };
        if (c.keys.emailKey) takenByEmail.set(c.keys.emailKey, taken);
        if (c.keys.nameAndCompanyKey) takenByName.set(c.keys.nameAndCompanyKey, taken);
        toWrite.push(c);
      });
      if (options.dryRun) {
        report.imported += toWrite.length;
        report.events += toWrite.length;
      } else if (toWrite.length) {
        // New leads as far as the store's leads and this file say (KnownLeads, the rows before): not read before deciding.
        const commands: BatchCommand[] = toWrite.map((c) => ({ record: this.records.lead, id: c.leadId, command: createLead(c, defaults, now), ctx: context(c, actor, correlationId, now), assumeNew: true }));
        const written = this.commandBus.execute(new ExecuteRecordBatchCommand(commands)).then((results) =>
          results.forEach((result, i) => {
            const c = toWrite[i]!;
            if (!result.ok) return problem({ line: c.line, outcome: 'rejected', reason: result.error.message });
            if (result.outcome.replayed) return void report.alreadyImported++;
            report.imported++;
            report.events += result.outcome.appended.length;
          }),
        );
        // Two batches at a time: this one decided and sealed while the one before commits (the store's bulk writer
        // thread). Rows of different batches are different leads (the same person twice is a duplicate, not written).
        written.catch(() => undefined); // awaited below or at the next batch, which rethrows: not an unhandled rejection meanwhile
        await writing;
        writing = written;
      }
      options.onProgress?.({ bytesRead: batch.bytesRead, totalBytes: batch.totalBytes, rows: report.rows });
    }
    await writing;
    return builder.finish();
  }
}

function createLead(c: PreparedLeadRow, defaults: { source: string; owner: string }, now: string): CreateLead {
  const { owner, createdAt, ...details } = c.row;
  return {
    type: 'CreateLead',
    leadId: c.leadId,
    at: createdAt ?? now,
    owner: owner ?? defaults.owner,
    details: { ...details, source: details.source ?? (defaults.source as LeadSource) },
  };
}

/** The row's own event id seed: a re-run finds the event it wrote and writes nothing. */
function context(c: PreparedLeadRow, actor: string, correlationId: string, now: string): CommandContext {
  return { actor, correlationId, causationId: null, occurredAt: c.row.createdAt ?? now, eventIdSeed: `lead-${c.leadId}|import` };
}
