import { Command } from '@nestjs/cqrs';
import { BatchCommand, BatchCommandResult } from './event-sourced.repository';

/** Many commands, on many records, decided one by one and appended in one batch (see EventSourcedRepository.executeBatch). */
export class ExecuteRecordBatchCommand extends Command<BatchCommandResult[]> {
  constructor(readonly commands: readonly BatchCommand[]) {
    super();
  }
}
