import { Controller, Get, Inject } from '@nestjs/common';
import { RECORDS, Records } from '../write/record-types';

@Controller('stages')
export class StagesController {
  constructor(@Inject(RECORDS) private readonly records: Records) {}

  /** The opportunity stage catalogue in force: names, default probabilities, forecast categories, closed/won. */
  @Get()
  list() {
    return { stages: this.records.catalogue.stages };
  }
}
