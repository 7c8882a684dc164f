import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { BatchCommandResult, EventSourcedRepository } from './event-sourced.repository';
import { ExecuteRecordBatchCommand } from './execute-record-batch.command';
import { forStream } from './idempotency';

@CommandHandler(ExecuteRecordBatchCommand)
export class ExecuteRecordBatchHandler implements ICommandHandler<ExecuteRecordBatchCommand> {
  constructor(private readonly repository: EventSourcedRepository) {}

  execute({ commands }: ExecuteRecordBatchCommand): Promise<BatchCommandResult[]> {
    return this.repository.executeBatch(commands.map((c) => ({ ...c, ctx: forStream(c.ctx, c.record.kind, c.id) })));
  }
}
