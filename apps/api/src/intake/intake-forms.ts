import { randomUUID } from 'node:crypto';
import { FormStore } from './form-store.port';
import { formSecretMatches, newFormKey, parseFormKey } from './form-key';
import { IntakeForm, NewIntakeFormInput, newIntakeFormInput } from './intake-form';

/** Invalid input for a new form: each field and why. */
export class IntakeFormInputError extends Error {
  override readonly name = 'IntakeFormInputError';
}

/**
 * Creates a form and its key. The key is in this answer only: the store keeps the hash of its secret. Used by the
 * CLI (`forms create`) and the tests.
 */
export async function createIntakeForm(store: FormStore, input: NewIntakeFormInput, now = new Date()): Promise<{ form: IntakeForm; key: string }> {
  const parsed = newIntakeFormInput.safeParse(input);
  if (!parsed.success) throw new IntakeFormInputError(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  const id = randomUUID();
  const { key, secretHash } = newFormKey(id);
  const form = await store.create({ id, ...parsed.data, createdAt: now.toISOString() }, secretHash);
  return { form, key };
}

/**
 * The form a key belongs to, if the key is well-formed, its form exists and is not revoked, and its secret matches;
 * null otherwise (one answer for every reason, so a caller learns nothing about which).
 */
export async function authenticateFormKey(store: FormStore, key: unknown): Promise<IntakeForm | null> {
  const parts = parseFormKey(key);
  if (!parts) return null;
  const found = await store.credentials(parts.formId);
  // Compare even without a form, so an unknown form id costs the same as a wrong secret.
  const matches = formSecretMatches(parts.secret, found?.secretHash ?? UNKNOWN_FORM_HASH);
  if (!found || !matches || found.form.revokedAt !== null) return null;
  return found.form;
}

const UNKNOWN_FORM_HASH = Buffer.alloc(32);
