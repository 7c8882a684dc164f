import { z } from 'zod';
import { LEAD_SOURCES, LeadSource } from '@pipeline-ledger/domain';

/** A web form leads come in through (POST /intake/leads), and what its leads get. */
export interface IntakeForm {
  id: string;
  /** For people: "Contact us (website)". */
  name: string;
  /** The lead source of its leads, one of the domain's (usually "Web Form"). */
  source: LeadSource;
  /** Who owns its leads. */
  owner: string;
  /** The campaign its leads are attributed to; null for none. */
  campaign: string | null;
  createdAt: string;
  /** Once revoked, its key is refused (401) for good. */
  revokedAt: string | null;
}

const text = (max: number) =>
  z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** What creating a form takes (the CLI's options). */
export const newIntakeFormInput = z.strictObject({
  name: text(120),
  owner: text(200),
  source: z.enum(LEAD_SOURCES, { error: `must be one of: ${LEAD_SOURCES.join(', ')}` }).default('Web Form'),
  campaign: text(120).nullish().transform((v) => v ?? null),
});
export type NewIntakeFormInput = z.input<typeof newIntakeFormInput>;
