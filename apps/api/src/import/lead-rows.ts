import { z } from 'zod';
import { LEAD_SOURCES } from '@pipeline-ledger/domain';
import { keyedDigest } from '@pipeline-ledger/privacy';
import { LeadIdentityKeys, leadIdentityKeys } from '@pipeline-ledger/read-models';
import { createLeadBody } from '../leads/lead.bodies';
import { deterministicId } from '../write/event-ids';
import { FieldSpec, ImportMapping, planColumns } from './column-mapping';
import { CsvEncoding, isRowError, openCsvFile } from './csv-rows';
import { RowProblem } from './import-report';
import { pastInstant, validRow } from './import-fields';

/**
 * The first half of a lead import, which needs nothing but the file: read the CSV, take each row's fields, validate
 * them, and work out the row's lead id and identity keys. Pure work on the file, so it can run on another thread
 * (lead-rows.worker.ts) while the import's own thread decides and writes the batch before.
 */

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

/** A row is a POST /leads body, with `source` optional (the import's default applies) and `createdAt` for back-dating. */
const rowSchema = createLeadBody.extend({
  source: z.enum(LEAD_SOURCES, { error: `must be one of: ${LEAD_SOURCES.join(', ')} (a mapping file can translate others)` }).optional(),
  createdAt: pastInstant.optional(),
});
export type LeadRow = z.infer<typeof rowSchema>;

/** The fields of a row, in a fixed order: what its lead id is derived from. */
const ROW_FIELDS = ['firstName', 'lastName', 'company', 'title', 'email', 'phone', 'source', 'campaign', 'industry', 'rating', 'owner', 'createdAt'] as const;

/** The purpose of the keyed digest that lead ids of imported rows are derived from. */
export const ROW_ID_PURPOSE = 'import row id';

export interface PreparedLeadRow {
  line: number;
  row: LeadRow;
  leadId: string;
  /** The keys duplicates are found by (the others of leadIdentityKeys need not cross to the importing thread). */
  keys: MatchKeys;
}

export type MatchKeys = Pick<LeadIdentityKeys, 'emailKey' | 'nameAndCompanyKey'>;

export interface LeadRowBatch {
  candidates: PreparedLeadRow[];
  /** Rows refused on their own (they could not be read, or are not valid). */
  problems: RowProblem[];
  /** Data rows read for this batch, refused ones included. */
  rows: number;
  bytesRead: number;
  totalBytes: number;
}

export interface LeadRowsSetup {
  file: string;
  encoding?: CsvEncoding;
  mapping: ImportMapping;
  /** The key of the keyed digest lead ids derive from (PersonalDataProtector.digestKey(ROW_ID_PURPOSE)). */
  digestKey: Buffer;
  batchSize: number;
}

export interface LeadRows {
  /** Headers of the columns no field is taken from. */
  ignored: string[];
  batches: AsyncIterable<LeadRowBatch>;
  /** Stops reading (the file closed, the worker ended), whether or not every batch was taken. */
  close(): Promise<void>;
}

/** Opens the file and plans its columns (throws ImportSetupError / CsvFileError when it cannot be imported at all). */
export async function openLeadRows(setup: LeadRowsSetup): Promise<LeadRows> {
  const csv = await openCsvFile(setup.file, { encoding: setup.encoding });
  const plan = planColumns(csv.headers, LEAD_FIELDS, setup.mapping);
  async function* batches(): AsyncGenerator<LeadRowBatch> {
    let batch: LeadRowBatch = { candidates: [], problems: [], rows: 0, bytesRead: 0, totalBytes: csv.totalBytes };
    for await (const row of csv.rows) {
      batch.rows++;
      if (isRowError(row)) {
        batch.problems.push({ line: row.line, outcome: 'rejected', reason: row.reason });
      } else {
        const valid = validRow(rowSchema, plan, row.cells, setup.mapping);
        if (valid.ok) {
          const { emailKey, nameAndCompanyKey } = leadIdentityKeys(valid.data);
          batch.candidates.push({ line: row.line, row: valid.data, leadId: leadIdOf(valid.data, setup.digestKey), keys: { emailKey, nameAndCompanyKey } });
        } else {
          batch.problems.push({ line: row.line, outcome: 'rejected', reason: valid.reason });
        }
      }
      if (batch.rows >= setup.batchSize) {
        batch.bytesRead = csv.bytesRead();
        yield batch;
        batch = { candidates: [], problems: [], rows: 0, bytesRead: 0, totalBytes: csv.totalBytes };
      }
    }
    batch.bytesRead = csv.totalBytes;
    if (batch.rows > 0) yield batch;
  }
  const iterator = batches();
  return { ignored: plan.ignored, batches: iterator, close: async () => void (await iterator.return(undefined)) };
}

/**
 * A row's lead id: derived from what the row says (not from its line, nor from the time of the import), so the same
 * row imported again, from this file or another, names the same lead. Through a keyed digest: the id says nothing
 * about the person to anyone without the master key, before or after an erasure.
 */
function leadIdOf(row: LeadRow, digestKey: Buffer): string {
  const content = ROW_FIELDS.map((f) => row[f] ?? '').join('\u0000');
  return deterministicId(`lead|import|${keyedDigest(digestKey, content)}`);
}
