import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';
import { DomainError, DomainErrorKind } from '@pipeline-ledger/domain';
import { PersonalDataErasedError } from '@pipeline-ledger/privacy';
import { AccessError } from '../auth/access.errors';
import { ErrorBody } from './error-body';
import { HttpRefusal } from './http-refusal';

const STATUS: Record<DomainErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  rule: HttpStatus.CONFLICT,
  concurrency: HttpStatus.CONFLICT,
};

const logger = new Logger('Http');

/** Maps every error to a status code and one body shape, in one place. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<Response>(), exception);
  }
}

/** The error answer (status, body, and its headers: a 401's challenge, a 429's Retry-After), for the filter and for middleware outside Nest's routes. */
export function sendError(response: Response, exception: unknown): void {
  const body = toBody(exception);
  if (exception instanceof HttpRefusal) for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
  if (exception instanceof AccessError && exception.status === 401) {
    // RFC 6750: the scheme to use, and whether the credential sent was the problem.
    response.setHeader('WWW-Authenticate', `Bearer realm="pipeline-ledger"${exception.credentialSent ? ', error="invalid_token"' : ''}`);
  }
  response.status(body.statusCode).json(body);
}

function toBody(exception: unknown): ErrorBody {
  if (exception instanceof AccessError) {
    return {
      statusCode: exception.status,
      error: exception.code,
      message: exception.message,
      ...(exception.requiredRoles ? { requiredRoles: exception.requiredRoles } : {}),
      ...(exception.requiredGrant ? { requiredGrant: exception.requiredGrant } : {}),
    };
  }
  if (exception instanceof DomainError) {
    return {
      statusCode: STATUS[exception.kind],
      error: exception.code,
      message: exception.message,
      ...(exception.issues.length ? { issues: exception.issues } : {}),
    };
  }
  if (exception instanceof PersonalDataErasedError) {
    return { statusCode: HttpStatus.CONFLICT, error: 'PERSONAL_DATA_ERASED', message: exception.message };
  }
  if (exception instanceof HttpRefusal) return { statusCode: exception.statusCode, error: exception.code, message: exception.message };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    const message = typeof res === 'string' ? res : String((res as { message?: unknown }).message ?? exception.message);
    return { statusCode: status, error: httpCode(status), message };
  }
  const clientError = bodyParserError(exception);
  if (clientError) return clientError;
  // Only the error, never the request: bodies hold personal data, headers hold credentials.
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return { statusCode: 500, error: 'INTERNAL_ERROR', message: 'internal error; the request may be retried' };
}

/** Errors of the JSON body parser (http-errors with a 4xx status): too large, bad charset, ... */
function bodyParserError(exception: unknown): ErrorBody | null {
  const e = exception as { status?: unknown; type?: unknown; message?: unknown; limit?: unknown } | null;
  if (!e || typeof e.status !== 'number' || e.status < 400 || e.status >= 500 || typeof e.type !== 'string') return null;
  const limit = typeof e.limit === 'number' ? Math.round(e.limit / 1024) : 100;
  const message = e.status === 413 ? `request body is too large (at most ${limit} kB)` : String(e.message);
  return { statusCode: e.status, error: httpCode(e.status), message };
}

function httpCode(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    default:
      return HttpStatus[status] ?? 'ERROR';
  }
}
