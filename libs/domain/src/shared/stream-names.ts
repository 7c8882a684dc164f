/** Stream ids: one stream per record, named `<kind>-<id>` (e.g. `lead-3f2a...`). */

export const RECORD_KINDS = ['lead', 'account', 'contact', 'opportunity'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export function streamIdFor(kind: RecordKind, id: string): string {
  return `${kind}-${id}`;
}

/**
 * The record kind and id a stream id names, or null when it is not one of ours.
 * Splits at the first dash only, so ids may contain dashes (UUIDs do).
 */
export function parseStreamId(streamId: string): { kind: RecordKind; id: string } | null {
  const dash = streamId.indexOf('-');
  if (dash <= 0 || dash === streamId.length - 1) return null;
  const kind = streamId.slice(0, dash);
  if (!(RECORD_KINDS as readonly string[]).includes(kind)) return null;
  return { kind: kind as RecordKind, id: streamId.slice(dash + 1) };
}
