import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportMapping, ImportSetupError, fieldsOf, loadMapping, planColumns } from './column-mapping';
import { LEAD_FIELDS } from './lead-import';
import { OPPORTUNITY_FIELDS } from './opportunity-import';

const NO_MAPPING: ImportMapping = { columns: {}, values: {} };

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pl-mapping-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function mappingFile(text: string): string {
  const path = join(dir, `mapping-${++files}.json`);
  writeFileSync(path, text);
  return path;
}

describe('planColumns', () => {
  it.each([['First Name'], ['first_name'], ['FIRSTNAME'], ['first-name'], [' First  Name ']])('recognises %j as firstName', (header) => {
    const plan = planColumns([header, 'Last Name', 'Company'], LEAD_FIELDS, NO_MAPPING);
    expect(plan.columns.get('firstName')).toBe(0);
  });

  it('recognises fields by their name and by their aliases, and lists the columns nothing uses', () => {
    const plan = planColumns(['Surname', 'Organisation', 'E-Mail', 'Favourite Colour', 'phone', 'Notes'], LEAD_FIELDS, NO_MAPPING);
    expect(Object.fromEntries(plan.columns)).toEqual({ lastName: 0, company: 1, email: 2, phone: 4 });
    expect(plan.ignored).toEqual(['Favourite Colour', 'Notes']);
  });

  it('refuses a file without a column for a required field, naming the field and the headers it found', () => {
    const plan = () => planColumns(['First Name', 'Company', 'Email'], LEAD_FIELDS, NO_MAPPING);
    expect(plan).toThrow(ImportSetupError);
    expect(plan).toThrow(/no column for lastName \(headers found: First Name, Company, Email\)/);
  });

  it('refuses two columns that both give one field', () => {
    const plan = () => planColumns(['Last Name', 'Surname', 'Company'], LEAD_FIELDS, NO_MAPPING);
    expect(plan).toThrow(ImportSetupError);
    expect(plan).toThrow(/columns "Last Name" and "Surname" both give lastName/);
  });

  it('takes an odd header to a field as a mapping file says, and ignores a column the mapping maps to null', () => {
    const mapping: ImportMapping = { columns: { Nom: 'lastName', Surname: null }, values: {} };
    const plan = planColumns(['NOM', 'Surname', 'Company'], LEAD_FIELDS, mapping);
    expect(Object.fromEntries(plan.columns)).toEqual({ lastName: 0, company: 2 });
    expect(plan.ignored).toEqual(['Surname']);
  });
});

describe('loadMapping', () => {
  it('is empty without a mapping file, and reads a valid one', () => {
    expect(loadMapping(undefined, LEAD_FIELDS)).toEqual(NO_MAPPING);
    const file = mappingFile(JSON.stringify({ columns: { Deal: 'name', Notes: null }, values: { stage: { Demo: 'Needs Analysis' } } }));
    expect(loadMapping(file, OPPORTUNITY_FIELDS)).toEqual({ columns: { Deal: 'name', Notes: null }, values: { stage: { Demo: 'Needs Analysis' } } });
  });

  it('refuses a file that is not JSON', () => {
    const file = mappingFile('{"columns": {"Nom": "lastName"');
    expect(() => loadMapping(file, LEAD_FIELDS)).toThrow(ImportSetupError);
    expect(() => loadMapping(file, LEAD_FIELDS)).toThrow(`mapping file ${file}:`);
  });

  it('refuses unknown top-level keys, naming them', () => {
    const file = mappingFile(JSON.stringify({ colums: { Nom: 'lastName' } }));
    expect(() => loadMapping(file, LEAD_FIELDS)).toThrow(ImportSetupError);
    expect(() => loadMapping(file, LEAD_FIELDS)).toThrow(/colums/);
  });

  it('refuses a column or a translation for a field that does not exist, naming it', () => {
    const column = mappingFile(JSON.stringify({ columns: { Nom: 'surname' } }));
    expect(() => loadMapping(column, LEAD_FIELDS)).toThrow(ImportSetupError);
    expect(() => loadMapping(column, LEAD_FIELDS)).toThrow(/columns\."Nom" names "surname", which is not one of: firstName, lastName/);
    const values = mappingFile(JSON.stringify({ values: { phase: { Demo: 'Needs Analysis' } } }));
    expect(() => loadMapping(values, OPPORTUNITY_FIELDS)).toThrow(/values\."phase" is not one of/);
  });
});

describe('fieldsOf', () => {
  const plan = planColumns(['Deal ID', 'Deal', 'Account', 'Stage', 'Amount'], OPPORTUNITY_FIELDS, NO_MAPPING);

  it('gives the trimmed cells by field, leaving blank cells out', () => {
    expect(fieldsOf(plan, [' D-1 ', 'Engines', 'Babbage Ltd', 'Prospecting', '   '], NO_MAPPING)).toEqual({ id: 'D-1', name: 'Engines', account: 'Babbage Ltd', stage: 'Prospecting' });
  });

  it("translates values as the mapping says, and keeps the others as they are", () => {
    const mapping: ImportMapping = { columns: {}, values: { stage: { Demo: 'Needs Analysis', Won: 'Closed Won' } } };
    expect(fieldsOf(plan, ['D-1', 'Engines', 'Babbage', ' Won ', '10'], mapping)).toMatchObject({ stage: 'Closed Won', amount: '10' });
    expect(fieldsOf(plan, ['D-2', 'Engines', 'Babbage', 'Prospecting', ''], mapping)).toMatchObject({ stage: 'Prospecting' });
  });

  it('takes a cell that names a property every object has ("constructor") as text, not as a translation', () => {
    const mapping: ImportMapping = { columns: {}, values: { stage: { Won: 'Closed Won' } } };
    expect(fieldsOf(plan, ['D-1', 'Engines', 'Babbage', 'constructor', ''], mapping)).toMatchObject({ stage: 'constructor' });
  });
});
