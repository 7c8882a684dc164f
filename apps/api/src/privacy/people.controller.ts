import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../http/command-context.decorator';
import { pathId } from '../http/respond';
import { CommandContext } from '../write/command-context';
import { PersonErasure, PersonErasureService } from './person-erasure.service';

/** People: the humans behind leads and contacts, for their privacy rights. */
@ApiTags('people')
@Controller('people')
export class PeopleController {
  constructor(private readonly erasure: PersonErasureService) {}

  /** Admin only (no @Allow: the guard lets only admin through). */
  @Post(':id/erase')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase a person's personal data (a lead id or a contact id)",
    description:
      'Deletes the data key of the lead or contact and of every record linked to it by a conversion, after recording an ' +
      'erasure event on each. Names, email and phone then read as "[erased]" everywhere (histories, read models, the event ' +
      'feed, rebuilt projections); counts, amounts, stages, sources and dates, and so every analytics figure, stay as they were. ' +
      'Idempotent; cannot be undone.',
  })
  erase(@Param('id') id: string, @Ctx() ctx: CommandContext): Promise<PersonErasure> {
    return this.erasure.erase(pathId(id), ctx);
  }
}
