import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify';

/** What became of one row that was not simply imported. No personal data: lines and ids only. */
export interface RowProblem {
  line: number;
  outcome: 'rejected' | 'duplicate';
  /** Rejected: why (the field and the reason). Duplicate: which lead or line it matches, and on what. */
  reason: string;
  /** Duplicate: the lead it matches (absent when it matches an earlier line of the file that was not imported). */
  leadId?: string;
}

export interface ImportReport {
  file: string;
  /** Every event of this import carries it: GET /correlations/{id} lists them. */
  correlationId: string;
  dryRun: boolean;
  /** Data rows read (the header row is not one). */
  rows: number;
  /** Rows written (in a dry run: that would be written). */
  imported: number;
  /** Rows this import (or an earlier run of the same file) had written already: nothing was written again. */
  alreadyImported: number;
  duplicates: number;
  rejected: number;
  /** Headers of columns no field was taken from. */
  ignoredColumns: string[];
  /** Events appended. */
  events: number;
  seconds: number;
  problems: RowProblem[];
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

/** The report's rows, as CSV (line, outcome, reason, leadId), for a spreadsheet. */
export async function writeProblemsCsv(file: string, problems: readonly RowProblem[]): Promise<void> {
  const out = createWriteStream(file);
  const csv = stringify({ header: true, columns: ['line', 'outcome', 'reason', 'leadId'] });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    csv.on('error', reject);
  });
  csv.pipe(out);
  for (const p of problems) csv.write([p.line, p.outcome, p.reason, p.leadId ?? '']);
  csv.end();
  await done;
}

/** A one-paragraph summary of a report, for a terminal. */
export function summarize(report: ImportReport, noun: string): string {
  const rate = report.seconds > 0 ? Math.round(report.rows / report.seconds) : report.rows;
  const lines = [
    `${report.dryRun ? 'dry run (nothing written): ' : ''}${report.rows} rows in ${report.seconds.toFixed(1)} s (${rate} rows/s)`,
    `  ${report.dryRun ? 'would import' : 'imported'}: ${report.imported} ${noun} (${report.events} events)`,
    `  already imported (an earlier run): ${report.alreadyImported}`,
    `  duplicates: ${report.duplicates}`,
    `  rejected: ${report.rejected}`,
  ];
  if (!report.dryRun && report.events > 0) lines.push(`  correlation id of its events: ${report.correlationId}`);
  if (report.ignoredColumns.length) lines.push(`  columns ignored: ${report.ignoredColumns.join(', ')}`);
  return lines.join('\n');
}
