import { NextFunction, Request, Response } from 'express';
import { INTAKE_PATH } from '../intake/intake-http';
import { ErrorBody } from './error-body';

/** Routes that also take HTML form posts (application/x-www-form-urlencoded): the web-to-lead intake only. */
export const FORM_POST_ROUTES: readonly string[] = [INTAKE_PATH];

/**
 * A request that carries a body must say it is JSON (or, on FORM_POST_ROUTES, an HTML form post). Otherwise the
 * parser skips it and the request would be refused for "missing" fields it may well have sent: 415 says what is
 * really wrong. An empty body is fine (commands such as close-won take none).
 */
export function requireJsonBodies(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || req.is('application/json')) return next();
  const formPosts = FORM_POST_ROUTES.includes(req.path.replace(/\/+$/, ''));
  if (formPosts && req.is('application/x-www-form-urlencoded')) return next();
  const message = formPosts
    ? 'send the body as JSON (Content-Type: application/json) or as an HTML form post (application/x-www-form-urlencoded)'
    : 'send the body as JSON with Content-Type: application/json';
  const body: ErrorBody = { statusCode: 415, error: 'UNSUPPORTED_MEDIA_TYPE', message };
  res.status(415).json(body);
}
