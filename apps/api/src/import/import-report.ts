import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
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

/** A report being made: counts to add to, problems to note (each counted as rejected or duplicate), then finished. */
export class ReportBuilder {
  readonly report: ImportReport;

  constructor(
    start: Pick<ImportReport, 'file' | 'correlationId' | 'dryRun' | 'ignoredColumns'>,
    /** When the import began (performance.now()), opening the file and loading what it needs included. */
    private readonly startedAt: number,
  ) {
    this.report = { ...start, rows: 0, imported: 0, alreadyImported: 0, duplicates: 0, rejected: 0, events: 0, seconds: 0, problems: [] };
  }

  problem(p: RowProblem): void {
    this.report.problems.push(p);
    if (p.outcome === 'rejected') this.report.rejected++;
    else this.report.duplicates++;
  }

  /** The report, problems in line order, with the time the import took. */
  finish(): ImportReport {
    this.report.problems.sort((a, b) => a.line - b.line);
    this.report.seconds = (performance.now() - this.startedAt) / 1000;
    return this.report;
  }
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
