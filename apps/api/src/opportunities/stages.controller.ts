import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { RECORDS, Records } from '../write/record-types';

@ApiTags('opportunities')
@Controller('stages')
export class StagesController {
  constructor(@Inject(RECORDS) private readonly records: Records) {}

  /** The opportunity stage catalogue in force: names, default probabilities, forecast categories, closed/won. */
  @Allow('sales', 'manager', 'analyst', 'auditor', 'integration')
  @Get()
  list() {
    return { stages: this.records.catalogue.stages };
  }
}
