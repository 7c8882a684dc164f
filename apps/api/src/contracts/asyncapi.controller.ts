import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { asyncApiDocument } from '@pipeline-ledger/contracts';
import { Allow } from '../auth/access.decorators';

/** The published event contracts, for downstream services: the AsyncAPI 3 document of the SSE feed and webhooks. */
@ApiTags('events')
@Controller()
export class AsyncApiController {
  @Allow('integration')
  @Get('asyncapi.json')
  @ApiOperation({
    summary: 'The AsyncAPI 3 document of the events',
    description:
      'The SSE feed (GET /events) and webhooks as channels, one message per event type (its current schema version) with an ' +
      'example, older versions documented beside them, and the JSON Schema of every (type, version). See also docs/events.md.',
  })
  @ApiOkResponse({ description: 'an AsyncAPI 3.1.0 document (JSON)' })
  asyncApi(): Record<string, unknown> {
    return asyncApiDocument();
  }
}
