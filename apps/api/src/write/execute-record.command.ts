import { Command } from '@nestjs/cqrs';
import { CommandContext, CommandOutcome } from './command-context';
import { RecordType } from './record-types';

/** A command on one record's stream: load, decide, append (see EventSourcedRepository). */
export class ExecuteRecordCommand<C, S extends { exists: boolean }> extends Command<CommandOutcome<S>> {
  constructor(
    readonly record: RecordType<C, S, unknown>,
    readonly id: string,
    readonly command: C,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
