import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';

/** The text encodings an import file may be in (UTF-8, with or without a byte-order mark, is the default). */
export const CSV_ENCODINGS = ['utf8', 'latin1', 'utf16le'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** One data row of a CSV file: its cells by column position, and the line of the file it ends on (1-based). */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** A row the parser could not read (a stray quote, the wrong number of cells): reported, and the rest still read. */
export interface CsvRowError {
  line: number;
  reason: string;
}

export interface CsvFile {
  headers: string[];
  /** Rows in file order; the header row is not one. */
  rows: AsyncIterable<CsvRow | CsvRowError>;
  /** Bytes of the file read so far, and in all: for a progress bar. */
  bytesRead(): number;
  readonly totalBytes: number;
}

/** The file is not a CSV file we can read at all (no header row, not found): nothing is imported. */
export class CsvFileError extends Error {}

/**
 * Opens a CSV file for an import: comma separated, the first row names the columns, fields quoted with " when they
 * hold commas, quotes or line breaks (RFC 4180), CRLF or LF line ends, a UTF-8 byte-order mark skipped. Streams: a file
 * of any size is read a chunk at a time. Blank lines are skipped. A row that cannot be parsed is reported with its line
 * and reading goes on.
 */
export async function openCsvFile(file: string, options: { encoding?: CsvEncoding } = {}): Promise<CsvFile> {
  let totalBytes: number;
  try {
    totalBytes = statSync(file).size;
  } catch (error) {
    throw new CsvFileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let bytes = 0;
  const input = createReadStream(file);
  input.on('data', (chunk) => (bytes += chunk.length));
  const skipped: CsvRowError[] = [];
  const parser = input.pipe(
    parse({
      bom: true,
      // A quote inside a field that is not quoted ("6" pipe", ""x"y") is kept as text, as spreadsheets read it, rather
      // than breaking the rest of the file.
      relax_quotes: true,
      encoding: options.encoding ?? 'utf8',
      skip_empty_lines: true,
      info: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error) skipped.push({ line: (error as unknown as { lines?: number }).lines ?? 0, reason: csvReason(error) });
      },
    }),
  );
  input.on('error', (error) => parser.destroy(error));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  const first = await records.next().catch((error: Error) => {
    throw new CsvFileError(`cannot read ${file}: ${error.message}`);
  });
  if (first.done) throw new CsvFileError(`${file} has no header row: the first line must name the columns`);
  const headers = first.value.record.map((h) => h.trim());

  // The parser reads ahead, so it may report a bad row before handing over the good rows above it: errors wait here
  // until the rows before them have been given, and everything comes out in file order.
  async function* rows(): AsyncGenerator<CsvRow | CsvRowError> {
    for (;;) {
      const next = await records.next();
      const line = next.done ? Number.POSITIVE_INFINITY : next.value.info.lines;
      skipped.sort((a, b) => a.line - b.line);
      while (skipped.length && skipped[0]!.line < line) yield skipped.shift()!;
      if (next.done) return;
      yield { line, cells: next.value.record };
    }
  }
  return { headers, rows: rows(), bytesRead: () => bytes, totalBytes };
}

function csvReason(error: Error): string {
  const code = (error as { code?: string }).code;
  if (code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || code === 'CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH') {
    return 'has a different number of cells than the header row (an unquoted comma?)';
  }
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return 'a quoted field opened on this line or above it is never closed: the rest of the file could not be read (double the quotes inside a quoted field)';
  }
  if (code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'INVALID_OPENING_QUOTE' || code === 'CSV_INVALID_OPENING_QUOTE' || code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') {
    return 'has a quote out of place: quote a field that holds quotes, and double the quotes inside it';
  }
  return `cannot be parsed as CSV (${error.message})`;
}

export function isRowError(row: CsvRow | CsvRowError): row is CsvRowError {
  return 'reason' in row;
}
