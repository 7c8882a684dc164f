/**
 * `npm run contracts:snapshot`: records the JSON Schema of every new (event type, schema version) in
 * libs/contracts/schemas.snapshot.json, and rewordings of descriptions. Refuses (exit 1, snapshot untouched) when a
 * published version changed in place or disappeared: bump the version instead.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { allEventDataJsonSchemas } from '../src/json-schemas';
import { SNAPSHOT_COMMENT, SchemaSnapshot, updateSnapshot } from '../src/schema-snapshot';
import { SNAPSHOT_FILE } from '../src/schema-snapshot.file';

const existing: SchemaSnapshot = existsSync(SNAPSHOT_FILE) ? JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) : { comment: SNAPSHOT_COMMENT, schemas: {} };
const { schemas, recorded, refused } = updateSnapshot(existing.schemas, allEventDataJsonSchemas());
const file = relative(process.cwd(), SNAPSHOT_FILE);
if (refused.length) {
  console.error(`${file} was not written:`);
  for (const problem of refused) console.error(`  ${problem.message}`);
  process.exit(1);
}
writeFileSync(SNAPSHOT_FILE, JSON.stringify({ comment: SNAPSHOT_COMMENT, schemas } satisfies SchemaSnapshot, null, 2) + '\n');
if (recorded.length === 0) console.log(`${file}: up to date`);
for (const problem of recorded) console.log(`${file}: ${problem.kind === 'added' ? 'added' : 'reworded'} ${problem.type} v${problem.version}`);
