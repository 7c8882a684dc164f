import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { Projection, READ_MODEL_STORE, ReadModelStore } from '@pipeline-ledger/read-models';
import { DomainError } from '@pipeline-ledger/domain';

/** How fresh an answer is: the last event its projection includes, and how far behind the store that is. */
export interface Freshness {
  projection: string;
  /** Global position of the last event the answer includes (null: none yet). */
  position: string | null;
  /** Events (by position) the projection is behind the store. */
  lag: string;
  status: 'running' | 'failed';
}

@Injectable()
export class FreshnessService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
  ) {}

  async of(projection: Projection): Promise<Freshness> {
    const [state, head] = await Promise.all([this.store.state(projection.name), this.events.headPosition()]);
    if (!state) throw new DomainError('not_found', 'PROJECTION_NOT_READY', `projection ${projection.name} has not started yet`);
    const position = state.active.checkpoint;
    const lag = head === null ? 0n : head - (position ?? 0n);
    return { projection: projection.name, position: position?.toString() ?? null, lag: (lag < 0n ? 0n : lag).toString(), status: state.status };
  }
}
