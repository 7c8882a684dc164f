import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainEvent } from '@pipeline-ledger/domain';
import { CommandOutcome } from './command-context';
import { EventSourcedRepository } from './event-sourced.repository';
import { ExecuteRecordCommand } from './execute-record.command';
import { forStream } from './idempotency';
import { RecordType } from './record-types';

@CommandHandler(ExecuteRecordCommand)
export class ExecuteRecordHandler implements ICommandHandler<ExecuteRecordCommand<unknown, { exists: boolean }>> {
  constructor(private readonly repository: EventSourcedRepository) {}

  async execute({ record, id, command, ctx }: ExecuteRecordCommand<unknown, { exists: boolean }>): Promise<CommandOutcome<{ exists: boolean }>> {
    // Records a command points at (an opportunity's account, say) must exist: 404 naming them otherwise.
    for (const ref of record.references?.(command) ?? []) await this.repository.get(ref.record, ref.id);
    return this.repository.execute(record as RecordType<unknown, { exists: boolean }, DomainEvent>, id, command, forStream(ctx, record.kind, id));
  }
}
