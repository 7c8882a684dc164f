import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaSnapshot } from './schema-snapshot';

/** The checked-in snapshot of every published schema (libs/contracts/schemas.snapshot.json). */
export const SNAPSHOT_FILE = join(__dirname, '..', 'schemas.snapshot.json');

export function readSnapshot(): SchemaSnapshot {
  return JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as SchemaSnapshot;
}
