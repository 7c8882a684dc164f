import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { CreateLead, LEAD_SOURCES, LeadSource } from '@pipeline-ledger/domain';
import { EventStore } from '@pipeline-ledger/event-store';
import { PersonalDataProtector } from '@pipeline-ledger/privacy';
import { LeadIdentityKeys, READ_MODEL_STORE, ReadModelStore, leadIdentityKeys } from '@pipeline-ledger/read-models';
import { SEALED_EVENT_STORE } from '../infrastructure/storage.module';
import { createLeadBody } from '../leads/lead.bodies';
import { CommandContext } from '../write/command-context';
import { deterministicId } from '../write/event-ids';
import { BatchCommand } from '../write/event-sourced.repository';
import { ExecuteRecordBatchCommand } from '../write/execute-record-batch.command';
import { RECORDS, Records } from '../write/record-types';
import { FieldSpec, ImportSetupError, fieldsOf, loadMapping, planColumns } from './column-mapping';
import { CsvEncoding, isRowError, openCsvFile } from './csv-rows';
import { ImportProgress, ImportReport, RowProblem } from './import-report';
import { looksMisdecoded, pastInstant, zodReasons } from './import-fields';
import { KnownLeads } from './known-leads';

export const LEAD_FIELDS: readonly FieldSpec[] = [
  { field: 'firstName', aliases: ['first', 'first name', 'given name', 'forename'] },
  { field: 'lastName', aliases: ['last', 'last name', 'surname', 'family name'], required: true },
  { field: 'company', aliases: ['company name', 'organization', 'organisation', 'account', 'account name'], required: true },
  { field: 'title', aliases: ['job title', 'position'] },
  { field: 'email', aliases: ['email address', 'e-mail', 'mail'] },
  { field: 'phone', aliases: ['phone number', 'telephone', 'tel', 'mobile'] },
  { field: 'source', aliases: ['lead source'] },
  { field: 'campaign', aliases: ['campaign name'] },
  { field: 'industry', aliases: ['sector'] },
  { field: 'rating', aliases: ['lead rating'] },
  { field: 'owner', aliases: ['lead owner'] },
  { field: 'createdAt', aliases: ['created', 'created date', 'date created', 'create date'] },
];

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
  onProgress?: (progress: ImportProgress) => void;
}

/** A row is a POST /leads body, with `source` optional (the import's default applies) and `createdAt` for back-dating. */
const rowSchema = createLeadBody.extend({
  source: z.enum(LEAD_SOURCES, { error: `must be one of: ${LEAD_SOURCES.join(', ')} (a mapping file can translate others)` }).optional(),
  createdAt: pastInstant.optional(),
});
type LeadRow = z.infer<typeof rowSchema>;

interface Candidate {
  line: number;
  row: LeadRow;
  leadId: string;
  keys: LeadIdentityKeys;
}

/**
 * `import leads <file.csv>`: a purchased list or another system's export, row by row through the lead decider.
 *
 * Each row is validated as POST /leads validates a body (and `createdAt`, when given, becomes the lead's business
 * time). A row is a duplicate when it has the email, or the name and company, of a lead the store has (KnownLeads) or
 * of an earlier row of the file; duplicates are reported with the lead (or line) they match, and not imported. The
 * rest are created in batches (ExecuteRecordBatchCommand: the decider, the sealing of personal fields, the hash chain,
 * and one batch append per few hundred rows).
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
    const mapping = loadMapping(options.mappingFile, LEAD_FIELDS);
    const csv = await openCsvFile(file, { encoding: options.encoding });
    const plan = planColumns(csv.headers, LEAD_FIELDS, mapping);
    const actor = options.actor ?? 'import';
    const defaults = { source: options.source ?? 'Purchased List', owner: options.owner ?? actor };
    if (!(LEAD_SOURCES as readonly string[]).includes(defaults.source)) throw new ImportSetupError(`source must be one of: ${LEAD_SOURCES.join(', ')}`);
    const correlationId = randomUUID();
    const known = new KnownLeads(this.readModels, this.sealed, this.protector);
    await known.load();

    const report: ImportReport = { file, correlationId, dryRun: !!options.dryRun, rows: 0, imported: 0, alreadyImported: 0, duplicates: 0, rejected: 0, ignoredColumns: plan.ignored, events: 0, seconds: 0, problems: [] };
    const problem = (p: RowProblem) => {
      report.problems.push(p);
      if (p.outcome === 'rejected') report.rejected++;
      else report.duplicates++;
    };
    /** Keys of the rows of this file taken so far: `${field}:${key}` -> the row's line and lead. */
    const taken = new Map<string, { line: number; leadId: string }>();
    const batchSize = options.batchSize ?? 1000;
    let batch: Candidate[] = [];

    const flush = async () => {
      const rows = batch;
      batch = [];
      if (rows.length === 0) return;
      const matches = await known.match(rows.map((c) => c.keys));
      const toWrite: Candidate[] = [];
      rows.forEach((c, i) => {
        const earlier = (c.keys.emailKey && taken.get(`email:${c.keys.emailKey}`)) || (c.keys.nameAndCompanyKey && taken.get(`name:${c.keys.nameAndCompanyKey}`));
        if (earlier) {
          const on = c.keys.emailKey && taken.get(`email:${c.keys.emailKey}`) ? 'email' : 'name and company';
          return problem({ line: c.line, outcome: 'duplicate', reason: `same ${on} as line ${earlier.line}`, leadId: earlier.leadId });
        }
        const match = matches[i];
        if (match && match.leadId === c.leadId) return void report.alreadyImported++;
        if (match) return problem({ line: c.line, outcome: 'duplicate', reason: `same ${match.matchedOn === 'email' ? 'email' : 'name and company'} as lead ${match.leadId}`, leadId: match.leadId });
        if (c.keys.emailKey) taken.set(`email:${c.keys.emailKey}`, { line: c.line, leadId: c.leadId });
        if (c.keys.nameAndCompanyKey) taken.set(`name:${c.keys.nameAndCompanyKey}`, { line: c.line, leadId: c.leadId });
        toWrite.push(c);
      });
      if (options.dryRun) {
        report.imported += toWrite.length;
        report.events += toWrite.length;
        return;
      }
      const commands: BatchCommand[] = toWrite.map((c) => ({ record: this.records.lead, id: c.leadId, command: this.createLead(c, defaults), ctx: this.context(c, actor, correlationId) }));
      const results = await this.commandBus.execute(new ExecuteRecordBatchCommand(commands));
      results.forEach((result, i) => {
        const c = toWrite[i]!;
        if (!result.ok) return problem({ line: c.line, outcome: 'rejected', reason: result.error.message });
        if (result.outcome.replayed) return void report.alreadyImported++;
        report.imported++;
        report.events += result.outcome.appended.length;
      });
    };

    for await (const row of csv.rows) {
      report.rows++;
      if (isRowError(row)) {
        problem({ line: row.line, outcome: 'rejected', reason: row.reason });
      } else {
        const fields = fieldsOf(plan, row.cells, mapping);
        const misdecoded = looksMisdecoded(fields);
        const parsed = misdecoded ? null : rowSchema.safeParse(fields);
        if (!parsed?.success) {
          problem({ line: row.line, outcome: 'rejected', reason: misdecoded ?? zodReasons(parsed!.error) });
        } else {
          batch.push({ line: row.line, row: parsed.data, leadId: this.leadIdOf(parsed.data), keys: leadIdentityKeys(parsed.data) });
          if (batch.length >= batchSize) await flush();
        }
      }
      if (report.rows % 1000 === 0) options.onProgress?.({ bytesRead: csv.bytesRead(), totalBytes: csv.totalBytes, rows: report.rows });
    }
    await flush();
    options.onProgress?.({ bytesRead: csv.totalBytes, totalBytes: csv.totalBytes, rows: report.rows });
    report.problems.sort((a, b) => a.line - b.line);
    report.seconds = (performance.now() - started) / 1000;
    return report;
  }

  /**
   * A row's lead id: derived from what the row says (not from its line, nor from the time of the import), so the same
   * row imported again, from this file or another, names the same lead. Through a keyed digest: the id says nothing
   * about the person to anyone without the master key, before or after an erasure.
   */
  private leadIdOf(row: LeadRow): string {
    const content = ROW_FIELDS.map((f) => row[f] ?? '').join('\u0000');
    return deterministicId(`lead|import|${this.protector.keyedDigest('import row id', content)}`);
  }

  private createLead(c: Candidate, defaults: { source: string; owner: string }): CreateLead {
    const { owner, createdAt, ...details } = c.row;
    return {
      type: 'CreateLead',
      leadId: c.leadId,
      at: createdAt ?? new Date().toISOString(),
      owner: owner ?? defaults.owner,
      details: { ...details, source: details.source ?? (defaults.source as LeadSource) },
    };
  }

  /** The row's own event id seed: a re-run finds the event it wrote and writes nothing. */
  private context(c: Candidate, actor: string, correlationId: string): CommandContext {
    return {
      actor,
      correlationId,
      causationId: null,
      occurredAt: c.row.createdAt ?? new Date().toISOString(),
      eventIdSeed: `lead-${c.leadId}|import`,
    };
  }
}

/** The fields of a row, in a fixed order: what its lead id is derived from. */
const ROW_FIELDS = ['firstName', 'lastName', 'company', 'title', 'email', 'phone', 'source', 'campaign', 'industry', 'rating', 'owner', 'createdAt'] as const;
