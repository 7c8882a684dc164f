import Database from 'better-sqlite3';
import { LeadSource } from '@pipeline-ledger/domain';
import { FormStore } from './form-store.port';
import { openIntakeDatabase } from './intake-database';
import { IntakeForm } from './intake-form';

interface Row {
  id: string;
  name: string;
  secret_hash: Buffer;
  source: string;
  owner: string;
  campaign: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** Web forms in `intake.sqlite` (intake-database.ts). */
export class SqliteFormStore implements FormStore {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<SqliteFormStore['prepare']>;

  constructor(filename: string) {
    this.db = openIntakeDatabase(filename);
    this.statements = this.prepare();
  }

  private prepare() {
    return {
      insert: this.db.prepare(
        `INSERT INTO intake_forms (id, name, secret_hash, source, owner, campaign, created_at) VALUES (@id, @name, @secretHash, @source, @owner, @campaign, @createdAt)`,
      ),
      get: this.db.prepare('SELECT * FROM intake_forms WHERE id = ?'),
      list: this.db.prepare('SELECT * FROM intake_forms ORDER BY created_at, id'),
      revoke: this.db.prepare('UPDATE intake_forms SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    };
  }

  async create(form: Omit<IntakeForm, 'revokedAt'>, secretHash: Buffer): Promise<IntakeForm> {
    this.statements.insert.run({ ...form, secretHash });
    return (await this.get(form.id))!;
  }

  async get(id: string): Promise<IntakeForm | null> {
    const row = this.statements.get.get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async credentials(id: string): Promise<{ form: IntakeForm; secretHash: Buffer } | null> {
    const row = this.statements.get.get(id) as Row | undefined;
    return row ? { form: fromRow(row), secretHash: row.secret_hash } : null;
  }

  async list(): Promise<IntakeForm[]> {
    return (this.statements.list.all() as Row[]).map(fromRow);
  }

  async revoke(id: string, at: string): Promise<IntakeForm | null> {
    this.statements.revoke.run(at, id);
    return this.get(id);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function fromRow(row: Row): IntakeForm {
  return {
    id: row.id,
    name: row.name,
    source: row.source as LeadSource,
    owner: row.owner,
    campaign: row.campaign,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
