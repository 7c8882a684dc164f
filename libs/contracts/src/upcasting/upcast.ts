import { EVENT_SCHEMA_VERSIONS, isDomainEventType } from '@pipeline-ledger/domain';
import type { StoredEvent } from '@pipeline-ledger/event-store';
import { UPCAST_STEPS, UpcastSteps } from './upcasters';

/** A stored event of a schema version this code cannot read: newer than it knows, or not a version at all. */
export class UnreadableSchemaVersionError extends Error {
  override readonly name = 'UnreadableSchemaVersionError';
}

/**
 * A stored event in the current schema version of its type: the same object when it is current already (or of a type
 * the domain does not know, which readers skip), else a copy with the data taken through each step from its version
 * to the current one and `schemaVersion` set to it. The envelope is kept, and the stored event is not changed: its
 * hash chain is over what was stored (verify reads raw events).
 *
 * Everything that reads stored events as domain facts upcasts them first: the write side's fold, the history's fold,
 * the projector, the conversion completer, the feed and webhooks. A version newer than this code knows throws
 * (UnreadableSchemaVersionError): guessing at it would silently misread the facts.
 */
export const upcast: (event: StoredEvent) => StoredEvent = createUpcaster(UPCAST_STEPS, EVENT_SCHEMA_VERSIONS);

/** An upcaster over given steps and current versions (upcast is this over the real ones; tests give their own). */
export function createUpcaster(steps: UpcastSteps, currentVersions: { readonly [type: string]: number }): (event: StoredEvent) => StoredEvent {
  return (event) => {
    if (!isDomainEventType(event.type)) return event;
    const current = currentVersions[event.type];
    const stored = event.schemaVersion;
    if (stored === current) return event;
    const where = `${event.type} ${event.eventId} (stream ${event.streamId}, revision ${event.revision}, position ${event.position})`;
    if (!Number.isInteger(stored) || stored < 1) throw new UnreadableSchemaVersionError(`${where} has schema version ${String(stored)}, which is not a version`);
    if (stored > current) {
      throw new UnreadableSchemaVersionError(
        `${where} has schema version ${stored}, newer than this service knows (${event.type} is at version ${current} here): ` +
          'it was written by a newer version of the service; run that version (or newer) to read it',
      );
    }
    let data = event.data;
    for (let version = stored; version < current; version++) {
      const step = steps[event.type]?.[version];
      if (!step) throw new Error(`${where}: no upcaster from ${event.type} v${version} to v${version + 1} (libs/contracts/src/upcasting)`);
      data = step(data);
    }
    return { ...event, schemaVersion: current, data };
  };
}
