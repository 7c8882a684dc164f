import { randomUUID } from 'node:crypto';
import { streamIdFor } from '@pipeline-ledger/domain';
import { CommandContext } from './command-context';
import { deterministicId } from './event-ids';
import { RecordKind } from './record-types';

/**
 * The id of a record a request creates. Under an Idempotency-Key it is derived from the key (and the actor), so a
 * repeated request lands on the same stream, where the repository finds the first run.
 */
export function newRecordId(kind: RecordKind, ctx: CommandContext, purpose = 'create'): string {
  return ctx.idempotency ? deterministicId(`${kind}|${purpose}|${ctx.actor}|${ctx.idempotency.key}`) : randomUUID();
}

/** The context for a command on one stream: under an Idempotency-Key its event ids become deterministic. */
export function forStream(ctx: CommandContext, kind: RecordKind, id: string): CommandContext {
  if (!ctx.idempotency) return ctx;
  return { ...ctx, eventIdSeed: `${streamIdFor(kind, id)}|${ctx.actor}|${ctx.idempotency.key}` };
}
