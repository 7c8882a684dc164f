import { IntakeForm } from './intake-form';

/**
 * Where web forms are kept: the form, and the SHA-256 of its key's secret (never the key). Adapters:
 * sqlite.form-store.ts (`<DATA_DIR>/intake.sqlite`), mongodb.form-store.ts (production: the `intake_forms`
 * collection); both pass form-store.contract.ts.
 */
export interface FormStore {
  /** Stores a new form with the hash of its key's secret. */
  create(form: Omit<IntakeForm, 'revokedAt'>, secretHash: Buffer): Promise<IntakeForm>;
  get(id: string): Promise<IntakeForm | null>;
  /** The form and its secret's hash, to check a presented key against. */
  credentials(id: string): Promise<{ form: IntakeForm; secretHash: Buffer } | null>;
  /** Every form, oldest first (no secrets: there are none to give). */
  list(): Promise<IntakeForm[]>;
  /** Revokes a form (its key is refused from then on); revoking it again keeps the first time. Null: no such form. */
  revoke(id: string, at: string): Promise<IntakeForm | null>;
  close(): Promise<void>;
}

export const FORM_STORE = Symbol('FORM_STORE');
