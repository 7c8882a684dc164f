import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, streamIdFor } from '@pipeline-ledger/domain';
import { EventStore } from '@pipeline-ledger/event-store';
import { PersonalDataProtector, keyIdsOf } from '@pipeline-ledger/privacy';
import { SEALED_EVENT_STORE } from '../infrastructure/storage.module';
import { CommandContext } from '../write/command-context';
import { EventSourcedRepository } from '../write/event-sourced.repository';
import { ExecuteRecordCommand } from '../write/execute-record.command';
import { RECORDS, Records } from '../write/record-types';

/** A person is a lead, a contact, or both: a converted lead and the contact it became (or was merged into). */
export interface ErasedRecord {
  kind: 'lead' | 'contact';
  id: string;
}

export interface PersonErasure {
  id: string;
  erasedAt: string;
  /** Every record that held the person's data, the one asked for first. */
  records: ErasedRecord[];
}

/** More linked records than this is not one person: refuse rather than erase half a company. */
const MAX_RECORDS = 100;

/**
 * The right to erasure. Finds every record that holds the person's data (the lead or contact named, the contact a lead
 * was converted into, the leads merged into a contact, and so on), then, in this order:
 * 1. appends an erasure event to each (idempotent): the read models mask the person from it, and the log says who
 *    erased, when, and under which correlation id;
 * 2. deletes the data keys their events were sealed under (named in the stored events, which only these records'
 *    own streams hold): from then on no read, replay or rebuild can open the personal fields again.
 * A failure between the two leaves the keys in place and answers with an error; asking again completes it.
 */
@Injectable()
export class PersonErasureService {
  private readonly logger = new Logger('Erasure');

  constructor(
    @Inject(RECORDS) private readonly records: Records,
    private readonly repository: EventSourcedRepository,
    private readonly commandBus: CommandBus,
    private readonly personalData: PersonalDataProtector,
    @Inject(SEALED_EVENT_STORE) private readonly sealed: EventStore,
  ) {}

  async erase(id: string, ctx: CommandContext): Promise<PersonErasure> {
    const found = await this.recordsOf(id);
    const erasedAt = ctx.occurredAt;
    for (const record of found) {
      const command =
        record.kind === 'lead'
          ? new ExecuteRecordCommand(this.records.lead, record.id, { type: 'EraseLeadPersonalData', leadId: record.id, at: erasedAt }, ctx)
          : new ExecuteRecordCommand(this.records.contact, record.id, { type: 'EraseContactPersonalData', contactId: record.id, at: erasedAt }, ctx);
      await this.commandBus.execute(command);
    }
    // After the erasure events: the deciders take no new personal data for these records from then on, so the keys
    // named now are all there will ever be.
    const keyIds: string[] = [];
    for (const record of found) keyIds.push(...keyIdsOf(await this.sealed.readStream(streamIdFor(record.kind, record.id))));
    await this.personalData.erase(
      found.map((r) => r.id),
      keyIds,
      erasedAt,
    );
    // Ids only: what was erased is gone, and must not reappear in the log.
    this.logger.log(`erased the personal data of ${found.map((r) => `${r.kind} ${r.id}`).join(', ')} (correlation ${ctx.correlationId})`);
    return { id, erasedAt, records: found };
  }

  /** The records that hold the person's data, following conversion links both ways. */
  private async recordsOf(id: string): Promise<ErasedRecord[]> {
    const start = await this.kindOf(id);
    if (!start) throw DomainError.notFound('person', id);
    const found: ErasedRecord[] = [];
    const seen = new Set<string>([id]);
    const queue: ErasedRecord[] = [{ kind: start, id }];
    while (queue.length > 0) {
      const record = queue.shift()!;
      found.push(record);
      if (found.length > MAX_RECORDS) {
        throw DomainError.rule('TOO_MANY_LINKED_RECORDS', `${id} is linked to more than ${MAX_RECORDS} leads and contacts; erase them one by one`);
      }
      for (const next of await this.linksOf(record)) {
        if (seen.has(next.id)) continue;
        seen.add(next.id);
        queue.push(next);
      }
    }
    return found;
  }

  private async kindOf(id: string): Promise<ErasedRecord['kind'] | undefined> {
    if ((await this.repository.load(this.records.lead, id)).state.exists) return 'lead';
    if ((await this.repository.load(this.records.contact, id)).state.exists) return 'contact';
    return undefined;
  }

  private async linksOf(record: ErasedRecord): Promise<ErasedRecord[]> {
    if (record.kind === 'lead') {
      const { state } = await this.repository.load(this.records.lead, record.id);
      return state.conversion ? [{ kind: 'contact', id: state.conversion.contactId }] : [];
    }
    const { state } = await this.repository.load(this.records.contact, record.id);
    return state.leadIds.map((leadId) => ({ kind: 'lead' as const, id: leadId }));
  }
}
