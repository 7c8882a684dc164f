import { z } from 'zod';
import { email, optionalText, phone, requiredText } from '../http/fields';

/** Blank form inputs (an HTML form sends every input, empty ones as "") are "not given"; others are trimmed. */
const blankAsNull = (value: unknown) => (typeof value === 'string' ? (value.trim() === '' ? null : value.trim()) : value);

/**
 * A web-to-lead submission, as JSON or as an HTML form post (application/x-www-form-urlencoded: every value a string).
 * Unknown fields are refused (400 naming them), as everywhere in the API.
 */
export const intakeSubmissionBody = z.strictObject({
  /** The form's own id for this submission: the same id again is the same submission (answered alike, written once). */
  submissionId: z
    .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be a UUID or a token of printable ASCII characters without spaces'),
  firstName: optionalText(40),
  lastName: requiredText(80),
  company: requiredText(255),
  title: optionalText(128),
  email: z.preprocess(blankAsNull, email.nullish()).transform((v) => v ?? null),
  phone: z.preprocess(blankAsNull, phone.nullish()).transform((v) => v ?? null),
  /** The form key, for HTML forms that cannot send the X-Form-Key header (a hidden input). */
  formKey: z.string().max(200, 'must be at most 200 characters').optional(),
  /**
   * A honeypot: an input hidden from people, left empty by them and filled in by bots. A submission that fills it in
   * is answered like any other and written nowhere.
   */
  website: z.string().max(2000, 'must be at most 2000 characters').optional(),
});
export type IntakeSubmission = z.infer<typeof intakeSubmissionBody>;
