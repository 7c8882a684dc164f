import { createHash } from 'node:crypto';

/** A UUID that is always the same for the same name (SHA-1 based, version 5 bits), so the examples never change. */
export function exampleUuid(name: string): string {
  const hex = createHash('sha1').update(`pipeline-ledger example: ${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The id of the example event at a global position. */
export function exampleEventId(position: number): string {
  return exampleUuid(`event ${position}`);
}
