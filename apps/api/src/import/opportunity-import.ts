import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { AccountCommand, LEAD_SOURCES, OpportunityCommand, normalizeNameText } from '@pipeline-ledger/domain';
import { EventStore } from '@pipeline-ledger/event-store';
import { PersonalDataProtector } from '@pipeline-ledger/privacy';
import { currencyCode, optionalText, owner, requiredText } from '../http/fields';
import { SEALED_EVENT_STORE } from '../infrastructure/storage.module';
import { CommandContext } from '../write/command-context';
import { deterministicId } from '../write/event-ids';
import { BatchCommand, BatchCommandResult } from '../write/event-sourced.repository';
import { ExecuteRecordBatchCommand } from '../write/execute-record-batch.command';
import { RECORDS, Records } from '../write/record-types';
import { FieldSpec, ImportSetupError, loadMapping, planColumns } from './column-mapping';
import { CsvEncoding, isRowError, openCsvFile } from './csv-rows';
import { ImportProgress, ImportReport, ReportBuilder, RowProblem } from './import-report';
import { pastInstant, validRow } from './import-fields';

export const OPPORTUNITY_FIELDS: readonly FieldSpec[] = [
  { field: 'id', aliases: ['opportunity id', 'external id', 'deal id', 'record id'], required: true },
  { field: 'name', aliases: ['opportunity name', 'opportunity', 'deal name', 'deal', 'product'], required: true },
  { field: 'account', aliases: ['account name', 'company', 'customer', 'organization', 'organisation'], required: true },
  { field: 'owner', aliases: ['opportunity owner', 'deal owner', 'sales rep'] },
  { field: 'stage', aliases: ['stage name', 'deal stage', 'status'], required: true },
  { field: 'openedAt', aliases: ['opened', 'open date', 'created', 'created date', 'created at', 'engage date', 'engaged'] },
  { field: 'closeDate', aliases: ['close date', 'closed', 'closed date', 'close'] },
  { field: 'amount', aliases: ['value', 'deal value', 'opportunity amount'] },
  { field: 'currency', aliases: ['currency code', 'currency iso code'] },
  { field: 'lossReason', aliases: ['loss reason', 'reason lost', 'lost reason'] },
  { field: 'source', aliases: ['lead source'] },
];

export interface OpportunityImportOptions {
  dryRun?: boolean;
  mappingFile?: string;
  encoding?: CsvEncoding;
  /** The owner of rows without one (default: the actor). */
  owner?: string;
  /** The currency of amounts without one. Default USD. */
  currency?: string;
  actor?: string;
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
}

/** What a lost deal without a reason in the file is recorded with (the decider requires one). */
export const UNRECORDED_LOSS_REASON = 'not recorded in the system it was imported from';

const rowSchema = z
  .strictObject({
    id: requiredText(200),
    name: requiredText(120),
    account: requiredText(255),
    owner: owner.optional(),
    stage: requiredText(80),
    openedAt: pastInstant.optional(),
    closeDate: z.iso.date({ error: 'must be a date, YYYY-MM-DD' }).optional(),
    amount: z.string().optional(),
    currency: currencyCode.optional(),
    lossReason: optionalText(1000),
    source: z.enum(LEAD_SOURCES, { error: `must be one of: ${LEAD_SOURCES.join(', ')}` }).optional(),
  })
  .superRefine((row, ctx) => {
    if (!row.openedAt) ctx.addIssue({ code: 'custom', path: ['openedAt'], message: `is required: a deal in stage "${row.stage}" needs the date it was opened` });
    if (!row.closeDate) ctx.addIssue({ code: 'custom', path: ['closeDate'], message: `is required: a deal in stage "${row.stage}" needs its (expected) close date` });
    if (row.openedAt && row.closeDate && row.closeDate < row.openedAt.slice(0, 10)) {
      ctx.addIssue({ code: 'custom', path: ['closeDate'], message: `${row.closeDate} is before the date it was opened (${row.openedAt.slice(0, 10)})` });
    }
  });
type OpportunityRow = z.infer<typeof rowSchema>;

interface Candidate {
  line: number;
  row: OpportunityRow & { openedAt: string; closeDate: string };
  opportunityId: string;
  amount: { amount: number; currency: string } | null;
  accountKey: string;
}

/**
 * `import opportunities <file.csv>`: a migration of deals from another CRM, with their past dates.
 *
 * A row is one deal: its id there, name, account (by name), owner, stage, the date it was opened, the close date and
 * the amount. The stage is mapped to our catalogue (a mapping file's values.stage, e.g. "Demo" -> "Needs Analysis",
 * "Won" -> "Closed Won"). Every event carries the historical business time: the opportunity is created when it was
 * opened (at its stage if that stage is open), and a closed deal is then moved to its closed stage on its close date;
 * so win rates by quarter and pipeline figures reflect the real history, not the day of the import.
 *
 * Accounts are matched by name (case, accents and spacing ignored) among the store's accounts, else created, opened
 * on the date of the first deal that names them. Rows with a stage but no dates, with a close date before the date
 * they were opened, or with an unknown stage are rejected with the reason; the others still import. The same file
 * again imports nothing twice: ids derive from the source system's id (and from the account's name).
 */
@Injectable()
export class OpportunityImporter {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(RECORDS) private readonly records: Records,
    @Inject(SEALED_EVENT_STORE) private readonly sealed: EventStore,
    private readonly protector: PersonalDataProtector,
  ) {}

  async import(file: string, options: OpportunityImportOptions = {}): Promise<ImportReport> {
    const started = performance.now();
    const mapping = loadMapping(options.mappingFile, OPPORTUNITY_FIELDS);
    const csv = await openCsvFile(file, { encoding: options.encoding });
    const plan = planColumns(csv.headers, OPPORTUNITY_FIELDS, mapping);
    const actor = options.actor ?? 'import';
    const defaultOwner = options.owner ?? actor;
    const defaultCurrency = options.currency ?? 'USD';
    if (!currencyCode.safeParse(defaultCurrency).success) throw new ImportSetupError(`currency ${defaultCurrency} is not an ISO 4217 code`);
    const catalogue = this.records.catalogue;
    const accounts = await this.existingAccounts();
    const correlationId = randomUUID();

    const builder = new ReportBuilder({ file, correlationId, dryRun: !!options.dryRun, ignoredColumns: plan.ignored }, started);
    const { report } = builder;
    const problem = (p: RowProblem) => builder.problem(p);
    const seenIds = new Map<string, number>();
    const batchSize = options.batchSize ?? 1000;
    let batch: Candidate[] = [];
    const ctx = (seed: string, at: string): CommandContext => ({ actor, correlationId, causationId: null, occurredAt: at, eventIdSeed: seed });

    const flush = async () => {
      const rows = batch;
      batch = [];
      if (rows.length === 0) return;
      // Accounts first (an opportunity's account must exist before it is created): those no row has made yet.
      const newAccounts: BatchCommand[] = [];
      for (const c of rows) {
        if (accounts.has(c.accountKey)) continue;
        const accountId = deterministicId(`account|import|${c.accountKey}`);
        accounts.set(c.accountKey, accountId);
        const command: AccountCommand = {
          type: 'CreateAccount',
          accountId,
          at: c.row.openedAt,
          details: { name: c.row.account, industry: null, website: null, phone: null, billingCountry: null },
          owner: c.row.owner ?? defaultOwner,
          source: null,
          leadId: null,
        };
        newAccounts.push({ record: this.records.account, id: accountId, command, ctx: ctx(`account-${accountId}|import`, c.row.openedAt) });
      }
      const failedAccounts = new Map<string, string>();
      if (!options.dryRun && newAccounts.length) {
        const results = await this.run(newAccounts);
        results.forEach((r, i) => {
          if (r.ok) report.events += r.outcome.appended.length;
          else failedAccounts.set(newAccounts[i]!.id, r.error.message);
        });
      }

      const commands: BatchCommand[] = [];
      const rowOf: number[] = [];
      rows.forEach((c, i) => {
        const accountId = accounts.get(c.accountKey)!;
        const accountFailed = failedAccounts.get(accountId);
        if (accountFailed) return problem({ line: c.line, outcome: 'rejected', reason: `account: ${accountFailed}` });
        for (const command of this.commandsFor(c, accountId, defaultOwner)) {
          commands.push({ record: this.records.opportunity, id: c.opportunityId, command, ctx: ctx(`opportunity-${c.opportunityId}|import|${command.type}`, command.at) });
          rowOf.push(i);
        }
      });
      if (options.dryRun) {
        report.imported += new Set(rowOf).size;
        report.events += commands.length;
        return;
      }
      const results = await this.run(commands);
      const byRow = new Map<number, BatchCommandResult[]>();
      results.forEach((r, k) => byRow.set(rowOf[k]!, [...(byRow.get(rowOf[k]!) ?? []), r]));
      for (const [i, rowResults] of byRow) {
        const c = rows[i]!;
        const failed = rowResults.find((r) => !r.ok);
        if (failed && !failed.ok) problem({ line: c.line, outcome: 'rejected', reason: failed.error.message });
        else if (rowResults.every((r) => r.ok && r.outcome.replayed)) report.alreadyImported++;
        else report.imported++;
        for (const r of rowResults) if (r.ok) report.events += r.outcome.appended.length;
      }
    };

    for await (const row of csv.rows) {
      report.rows++;
      if (isRowError(row)) {
        problem({ line: row.line, outcome: 'rejected', reason: row.reason });
      } else {
        const valid = validRow(rowSchema, plan, row.cells, mapping);
        const reason = valid.ok ? this.stageProblem(valid.data, catalogue.names()) : valid.reason;
        if (reason || !valid.ok) {
          problem({ line: row.line, outcome: 'rejected', reason: reason! });
        } else {
          const data = valid.data as Candidate['row'];
          const money = minorUnits(data.amount, data.currency ?? defaultCurrency);
          const earlier = seenIds.get(data.id);
          if (typeof money === 'string') problem({ line: row.line, outcome: 'rejected', reason: `amount: ${money}` });
          else if (earlier !== undefined) problem({ line: row.line, outcome: 'duplicate', reason: `same id (${data.id}) as line ${earlier}` });
          else {
            seenIds.set(data.id, row.line);
            batch.push({ line: row.line, row: data, opportunityId: deterministicId(`opportunity|import|${data.id}`), amount: money, accountKey: normalizeNameText(data.account)! });
            if (batch.length >= batchSize) await flush();
          }
        }
      }
      if (report.rows % 1000 === 0) options.onProgress?.({ bytesRead: csv.bytesRead(), totalBytes: csv.totalBytes, rows: report.rows });
    }
    await flush();
    options.onProgress?.({ bytesRead: csv.totalBytes, totalBytes: csv.totalBytes, rows: report.rows });
    return builder.finish();
  }

  /**
   * The deal's history as commands: created when it was opened (at its stage when that stage is open, else at the first
   * open stage), then, for a closed deal, moved to its closed stage on its close date (not before it was opened).
   */
  private commandsFor(c: Candidate, accountId: string, defaultOwner: string): OpportunityCommand[] {
    const { row } = c;
    const stage = this.records.catalogue.get(row.stage)!;
    const created: OpportunityCommand = {
      type: 'CreateOpportunity',
      opportunityId: c.opportunityId,
      at: row.openedAt,
      accountId,
      name: row.name,
      stage: stage.isClosed ? null : stage.name,
      closeDate: row.closeDate,
      amount: c.amount?.amount ?? null,
      currency: c.amount?.currency ?? null,
      owner: row.owner ?? defaultOwner,
      source: row.source ?? null,
      leadId: null,
    };
    if (!stage.isClosed) return [created];
    const closedAt = new Date(Math.max(Date.parse(`${row.closeDate}T00:00:00Z`), Date.parse(row.openedAt))).toISOString();
    return [
      created,
      { type: 'ChangeOpportunityStage', opportunityId: c.opportunityId, at: closedAt, stage: stage.name, lossReason: stage.isWon ? null : (row.lossReason ?? UNRECORDED_LOSS_REASON) },
    ];
  }

  private stageProblem(row: OpportunityRow, stages: readonly string[]): string | null {
    if (this.records.catalogue.has(row.stage)) return null;
    return `stage: "${row.stage}" is not one of our stages (${stages.join(', ')}); map it in a mapping file: {"values": {"stage": {"${row.stage}": "<our stage>"}}}`;
  }

  private run(commands: BatchCommand[]): Promise<BatchCommandResult[]> {
    return this.commandBus.execute(new ExecuteRecordBatchCommand(commands));
  }

  /** The store's accounts by comparable name (the oldest, when several share one). */
  private async existingAccounts(): Promise<Map<string, string>> {
    const accounts = new Map<string, string>();
    for (let after: bigint | null = null; ; ) {
      const page = await this.sealed.readAll({ after, maxCount: 5000, filter: { eventTypes: ['AccountCreated'] } });
      for (const event of await this.protector.unseal(page)) {
        const key = normalizeNameText(String(event.data['name'] ?? ''));
        if (key && !accounts.has(key)) accounts.set(key, String(event.data['accountId']));
      }
      if (page.length < 5000) return accounts;
      after = page[page.length - 1]!.position;
    }
  }
}

/**
 * An amount as written in a file, in major units ("12500", "12,500.50"), as integer minor units of the currency (its
 * ISO 4217 exponent: 2 for USD, 0 for JPY): never through a float. null for no amount; a string says what is wrong.
 */
export function minorUnits(text: string | undefined, currency: string): { amount: number; currency: string } | null | string {
  if (text === undefined) return null;
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(text.replace(/^\s+|\s+$/g, ''));
  if (!match) return `"${text}" is not an amount: digits, optionally with a decimal point and comma thousands separators (12,500.00)`;
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return `"${text}" has more decimals than ${currency} has (${digits})`;
  const amount = Number(match[1]!.replace(/,/g, '') + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(amount)) return `"${text}" is too large`;
  return { amount, currency };
}
