import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvEncoding, CsvFile, CsvFileError, CsvRow, CsvRowError, isRowError, openCsvFile } from './csv-rows';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pl-csv-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A file in the temp directory holding these bytes (or this text as UTF-8). */
function file(content: string | Buffer): string {
  const path = join(dir, `file-${++files}.csv`);
  writeFileSync(path, content);
  return path;
}

async function all(csv: CsvFile): Promise<(CsvRow | CsvRowError)[]> {
  const out: (CsvRow | CsvRowError)[] = [];
  for await (const row of csv.rows) out.push(row);
  return out;
}

async function read(content: string | Buffer, encoding?: CsvEncoding): Promise<{ headers: string[]; rows: (CsvRow | CsvRowError)[] }> {
  const csv = await openCsvFile(file(content), { encoding });
  return { headers: csv.headers, rows: await all(csv) };
}

describe('openCsvFile', () => {
  it('reads the header row and then each data row with the line it is on (the header is line 1)', async () => {
    const { headers, rows } = await read('First Name,Last Name\nAda,Lovelace\nGrace,Hopper\n');
    expect(headers).toEqual(['First Name', 'Last Name']);
    expect(rows).toEqual([
      { line: 2, cells: ['Ada', 'Lovelace'] },
      { line: 3, cells: ['Grace', 'Hopper'] },
    ]);
  });

  it('does not take a UTF-8 byte-order mark into the first header', async () => {
    const { headers, rows } = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\n1,Ada\n')]));
    expect(headers).toEqual(['id', 'name']);
    expect(rows).toEqual([{ line: 2, cells: ['1', 'Ada'] }]);
  });

  it('reads CRLF line ends without leaving a carriage return in the last cell', async () => {
    const { headers, rows } = await read('id,name\r\n1,Ada\r\n2,Grace\r\n');
    expect(headers).toEqual(['id', 'name']);
    expect(rows).toEqual([
      { line: 2, cells: ['1', 'Ada'] },
      { line: 3, cells: ['2', 'Grace'] },
    ]);
  });

  it('reads quoted fields holding commas, doubled quotes and a line break, and counts the lines they span', async () => {
    const { rows } = await read('id,company,notes\n1,"Engines, Ltd","said ""hello""\nthen left"\n2,Babbage,plain\n');
    expect(rows).toEqual([
      { line: 3, cells: ['1', 'Engines, Ltd', 'said "hello"\nthen left'] },
      { line: 4, cells: ['2', 'Babbage', 'plain'] },
    ]);
  });

  it('skips blank lines but still counts them in the line numbers', async () => {
    const { rows } = await read('id,name\n\n1,Ada\n\n\n2,Grace\n\n');
    expect(rows).toEqual([
      { line: 3, cells: ['1', 'Ada'] },
      { line: 6, cells: ['2', 'Grace'] },
    ]);
  });

  it('reports a row with a different number of cells than the header, with its line and a reason, in file order, and reads on', async () => {
    const { rows } = await read('id,name\n1,Ada\n2,Lovelace, Ada\n3,Grace\n4,a,b\n5,z\n');
    expect(rows).toEqual([
      { line: 2, cells: ['1', 'Ada'] },
      { line: 3, reason: expect.stringMatching(/different number of cells than the header/) },
      { line: 4, cells: ['3', 'Grace'] },
      { line: 5, reason: expect.stringMatching(/different number of cells/) },
      { line: 6, cells: ['5', 'z'] },
    ]);
  });

  it('keeps a quote out of place as text instead of losing the rest of the file', async () => {
    const { rows } = await read('id,name\n1,Ada\n2,"x"y\n3,6" pipe\n4,ok\n');
    expect(rows).toEqual([
      { line: 2, cells: ['1', 'Ada'] },
      { line: 3, cells: ['2', '"x"y'] },
      { line: 4, cells: ['3', '6" pipe'] },
      { line: 5, cells: ['4', 'ok'] },
    ]);
  });

  it('says that a quoted field never closed took the rest of the file', async () => {
    const { rows } = await read('id,name\n1,Ada\n2,"x\n3,ok\n');
    expect(rows[0]).toEqual({ line: 2, cells: ['1', 'Ada'] });
    expect(rows.slice(1)).toEqual([{ line: expect.any(Number), reason: expect.stringMatching(/never closed: the rest of the file could not be read/) }]);
  });

  it('reads a latin1 file as latin1 when told to, and shows U+FFFD where it is read as UTF-8', async () => {
    const bytes = Buffer.from('first,last\nZoë,Müller\n', 'latin1');
    expect((await read(bytes, 'latin1')).rows).toEqual([{ line: 2, cells: ['Zoë', 'Müller'] }]);
    const asUtf8 = (await read(bytes)).rows[0] as CsvRow;
    expect(asUtf8.cells.join(',')).toContain('\uFFFD');
    expect(asUtf8.cells).not.toEqual(['Zoë', 'Müller']);
  });

  it('reads a UTF-16LE file with its byte-order mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('first,last\nZoë,Müller\n', 'utf16le')]);
    const { headers, rows } = await read(bytes, 'utf16le');
    expect(headers).toEqual(['first', 'last']);
    expect(rows).toEqual([{ line: 2, cells: ['Zoë', 'Müller'] }]);
  });

  it('refuses a file that does not exist, saying so', async () => {
    const missing = join(dir, 'nope.csv');
    await expect(openCsvFile(missing)).rejects.toThrow(CsvFileError);
    await expect(openCsvFile(missing)).rejects.toThrow(`cannot read ${missing}: no such file`);
  });

  it('refuses an empty file: there is no header row', async () => {
    const empty = file('');
    await expect(openCsvFile(empty)).rejects.toThrow(CsvFileError);
    await expect(openCsvFile(empty)).rejects.toThrow(/has no header row/);
  });

  it('has read every byte of the file once all its rows are read', async () => {
    const content = 'id,name\n' + Array.from({ length: 5000 }, (_, i) => `${i},name number ${i}`).join('\n') + '\n';
    const csv = await openCsvFile(file(content));
    expect(csv.totalBytes).toBe(Buffer.byteLength(content));
    expect(csv.bytesRead()).toBeLessThanOrEqual(csv.totalBytes);
    const rows = await all(csv);
    expect(rows).toHaveLength(5000);
    expect(rows[4999]).toEqual({ line: 5001, cells: ['4999', 'name number 4999'] });
    expect(csv.bytesRead()).toBe(csv.totalBytes);
  });
});
