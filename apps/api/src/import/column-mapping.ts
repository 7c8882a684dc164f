import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Which column of an import file holds which of our fields. A column is recognised by its header: our field's name or
 * one of its usual aliases, compared without case, spaces or punctuation ("First Name", "first_name" and "FirstName"
 * are all firstName). A mapping file names the others: `{"columns": {"Nom": "lastName", "Notes": null}}` (null: ignore
 * the column). What no rule places is ignored and reported.
 */
export interface FieldSpec<F extends string = string> {
  field: F;
  aliases: readonly string[];
  required?: boolean;
}

export interface ColumnPlan<F extends string = string> {
  /** The column index of each field found. */
  columns: Map<F, number>;
  /** Headers of the columns nothing uses. */
  ignored: string[];
}

/** The file cannot be imported as it stands (a required column is missing, the mapping file is wrong): nothing is imported. */
export class ImportSetupError extends Error {}

/** A mapping file: column names to our fields, and (per field) values to ours, e.g. {"values": {"stage": {"Demo": "Needs Analysis"}}}. */
export interface ImportMapping {
  columns: Record<string, string | null>;
  values: Record<string, Record<string, string>>;
}

const mappingFile = z.strictObject({
  columns: z.record(z.string(), z.string().nullable()).default({}),
  values: z.record(z.string(), z.record(z.string(), z.string())).default({}),
});

export function loadMapping(file: string | undefined, fields: readonly FieldSpec[]): ImportMapping {
  if (!file) return { columns: {}, values: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ImportSetupError(`mapping file ${file}: ${(error as Error).message}`);
  }
  const parsed = mappingFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ImportSetupError(`mapping file ${file}: ${issue.path.join('.') || 'top level'}: ${issue.message} (expected {"columns": {"<header>": "<field>" | null}, "values": {"<field>": {"<theirs>": "<ours>"}}})`);
  }
  const known = new Set(fields.map((f) => f.field));
  const names = [...known].join(', ');
  for (const [header, field] of Object.entries(parsed.data.columns)) {
    if (field !== null && !known.has(field)) throw new ImportSetupError(`mapping file ${file}: columns."${header}" names "${field}", which is not one of: ${names}`);
  }
  for (const field of Object.keys(parsed.data.values)) {
    if (!known.has(field)) throw new ImportSetupError(`mapping file ${file}: values."${field}" is not one of: ${names}`);
  }
  return parsed.data;
}

export function planColumns<F extends string>(headers: readonly string[], fields: readonly FieldSpec<F>[], mapping: ImportMapping): ColumnPlan<F> {
  const explicit = new Map(Object.entries(mapping.columns).map(([header, field]) => [comparable(header), field]));
  const byAlias = new Map<string, F>();
  for (const spec of fields) for (const name of [spec.field, ...spec.aliases]) byAlias.set(comparable(name), spec.field);
  const columns = new Map<F, number>();
  const ignored: string[] = [];
  headers.forEach((header, index) => {
    const key = comparable(header);
    const field = explicit.has(key) ? (explicit.get(key) as F | null) : byAlias.get(key);
    if (!field) return void ignored.push(header);
    if (columns.has(field)) throw new ImportSetupError(`columns "${headers[columns.get(field)!]}" and "${header}" both give ${field}: map one of them to null in a mapping file`);
    columns.set(field, index);
  });
  const missing = fields.filter((f) => f.required && !columns.has(f.field));
  if (missing.length) {
    throw new ImportSetupError(
      `no column for ${missing.map((f) => f.field).join(', ')} (headers found: ${headers.join(', ') || 'none'}); name the column in a mapping file: {"columns": {"<header>": "${missing[0]!.field}"}}`,
    );
  }
  return { columns, ignored };
}

/** The cells of a row as an object of our fields: blank cells are left out (absent, as in a request body). */
export function fieldsOf<F extends string>(plan: ColumnPlan<F>, cells: readonly string[], mapping: ImportMapping): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const [field, index] of plan.columns) {
    const cell = cells[index]?.trim();
    if (!cell) continue;
    const translations = mapping.values[field];
    out[field] = translations && Object.hasOwn(translations, cell) ? translations[cell]! : cell;
  }
  return out;
}

function comparable(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
