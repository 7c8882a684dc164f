import { z } from 'zod';
import { FORECAST_CATEGORIES, LEAD_SOURCES, LEAD_STATUS, LeadStatus } from '@pipeline-ledger/domain';

/**
 * The field types the event schemas are made of, each with the description the published JSON Schemas, the AsyncAPI
 * document and docs/events.md show. They say what the deciders guarantee, no more: required text is never blank,
 * optional text is any string or null (the API trims it and turns "" into null; the domain itself does not insist).
 */

/** A record id: a UUID (random for new records, name-based v5 for ids derived under an Idempotency-Key). */
export const recordId = (description: string) => z.uuid().describe(description);

/** A record id or null. */
export const optionalRecordId = (description: string) => z.uuid().nullable().describe(description);

/** An instant: ISO 8601 in UTC with a `Z`, e.g. 2026-03-01T09:30:00.000Z. */
export const instant = (description: string) => z.iso.datetime().describe(`${description} (ISO 8601, UTC)`);

/** A calendar date, YYYY-MM-DD. */
export const calendarDate = (description: string) => z.iso.date().describe(`${description} (YYYY-MM-DD)`);

/** Text the decider requires: at least one character that is not white space. */
export const requiredText = (description: string) => z.string().regex(/\S/).describe(description);

/** Text that is only ever recorded non-blank, or null. */
export const nonBlankOrNull = (description: string) => z.string().regex(/\S/).nullable().describe(description);

/** Optional free text: any string, or null when none was given. */
export const optionalText = (description: string) => z.string().nullable().describe(description);

export const flag = (description: string) => z.boolean().describe(description);

/** Money is never a float: an integer number of minor units (cents for USD, yen for JPY). */
export const minorUnits = (description: string) => z.int().min(0).describe(`${description}, in integer minor units of the currency (cents for USD)`);

export const optionalMinorUnits = (description: string) =>
  z.int().min(0).nullable().describe(`${description}, in integer minor units of the currency (cents for USD); null when not known`);

/** An ISO 4217 currency code: three capital letters. */
export const currencyCode = (description: string) => z.string().regex(/^[A-Z]{3}$/).describe(`${description} (ISO 4217 code, e.g. EUR)`);

export const optionalCurrencyCode = (description: string) =>
  z.string().regex(/^[A-Z]{3}$/).nullable().describe(`${description} (ISO 4217 code, e.g. EUR); null when the amount is not known`);

/** Whole percent, 0 to 100. */
export const percent = (description: string) => z.int().min(0).max(100).describe(description);

export const leadSource = (description: string) => z.enum(LEAD_SOURCES).describe(description);

export const optionalLeadSource = (description: string) => z.enum(LEAD_SOURCES).nullable().describe(description);

const LEAD_STATUSES = Object.values(LEAD_STATUS) as [LeadStatus, ...LeadStatus[]];

/** A lead status; `which` says which statuses this event can carry. */
export const leadStatus = (which: string) => z.enum(LEAD_STATUSES).describe(`The lead's status after this event: ${which}`);

export const forecastCategory = () => z.enum(FORECAST_CATEGORIES).describe("The stage's forecast category");

/** Who owns a record: an actor name as the API was given it (e.g. `alice`, `user:carol`). Never blank. */
export const ownerName = (description: string) => requiredText(description);

/** The stage an opportunity is in, as recorded (names come from the configurable stage catalogue). */
export function stageSnapshotShape() {
  return {
    stage: requiredText('The stage name, from the stage catalogue in force when the event was decided'),
    probability: percent("The stage's default probability in percent: a stage change resets the probability to it"),
    forecastCategory: forecastCategory(),
    isClosed: flag('True for a closed stage (won or lost)'),
    isWon: flag('True for the won stage'),
  };
}
