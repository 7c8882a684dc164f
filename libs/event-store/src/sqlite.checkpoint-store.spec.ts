import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCheckpointStoreContract } from './checkpoint-store.contract';
import { SqliteCheckpointStore } from './sqlite.checkpoint-store';

describeCheckpointStoreContract('SqliteCheckpointStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-checkpoints-'));
  const file = join(dir, 'checkpoints.sqlite');
  return { open: () => new SqliteCheckpointStore(file), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});
