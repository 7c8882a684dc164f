import { NextFunction, Request, Response } from 'express';
import { ErrorBody } from './error-body';

/**
 * A request that carries a body must say it is JSON. Otherwise the JSON parser skips it and the request would be
 * refused for "missing" fields it may well have sent: 415 says what is really wrong. An empty body is fine
 * (commands such as close-won take none).
 */
export function requireJsonBodies(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    const body: ErrorBody = { statusCode: 415, error: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the body as JSON with Content-Type: application/json' };
    res.status(415).json(body);
    return;
  }
  next();
}
