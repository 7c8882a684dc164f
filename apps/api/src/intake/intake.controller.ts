import { Body, Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Public } from '../auth/access.decorators';
import { toOpenApiSchema } from '../http/valid-body.decorator';
import { intakeSubmissionBody } from './intake.bodies';
import { IntakeAnswer, IntakeService } from './intake.service';

/** Web-to-lead: public, authenticated by the form's own key. */
@ApiTags('intake')
@Controller('intake')
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Public()
  @Post('leads')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Submit a lead from a web form (public; authenticated by the form key)',
    description:
      'JSON or an HTML form post (application/x-www-form-urlencoded), at most 16 kB. The form key goes in the X-Form-Key header or a formKey field. ' +
      'Every accepted submission is answered alike, 202 {submissionId, status: "received"}: a new lead, a duplicate of a lead we have (recorded on that ' +
      'lead as LeadDuplicateSubmitted), and a repeat of the same submissionId (written once) cannot be told apart, so the answer never says whether ' +
      'an email address is known. Rate-limited per form key and per client address (429 with Retry-After).',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiHeader({ name: 'X-Form-Key', required: false, description: 'the form key, plf_<form id>_<secret> (or the formKey field)' })
  @ApiBody({ schema: toOpenApiSchema(intakeSubmissionBody) as object })
  @ApiResponse({ status: 202, description: 'received: {submissionId, status: "received"}, whatever became of it' })
  @ApiResponse({ status: 401, description: 'no form key, or an unknown, malformed or revoked one (FORM_KEY_INVALID)' })
  @ApiResponse({ status: 429, description: 'too many submissions from this address or through this form, or too many refused keys; Retry-After says when to retry' })
  async submit(
    @Body() body: unknown,
    @Headers('x-form-key') headerKey: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IntakeAnswer> {
    res.setHeader('Cache-Control', 'no-store');
    const bodyKey = body && typeof body === 'object' ? (body as Record<string, unknown>)['formKey'] : undefined;
    return this.intake.submit({ formKey: headerKey ?? bodyKey, body, clientAddress: req.ip ?? req.socket.remoteAddress });
  }
}
