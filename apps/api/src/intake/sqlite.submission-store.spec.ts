import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSubmissionStore } from './sqlite.submission-store';
import { describeSubmissionStoreContract } from './submission-store.contract';

describeSubmissionStoreContract('SqliteSubmissionStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'submission-store-'));
  const file = join(dir, 'intake.sqlite');
  return { open: () => new SqliteSubmissionStore(file), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});
