import { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendError } from '../http/api-exception.filter';
import { AccessError } from './access.errors';
import { Authenticator } from './authenticator.service';
import { attachPrincipal } from './principal.decorator';
import { ROLES } from './roles';

/**
 * For what is served outside Nest's controllers, and so outside the AccessGuard (the OpenAPI document and its
 * reader at /docs): any authenticated principal with a role, every role alike. 401 / 403 as the guard answers them.
 */
export function requireAuthentication(authenticator: Authenticator): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    authenticator.authenticate(req.headers).then(
      (principal) => {
        if (principal.roles.length === 0) return sendError(res, AccessError.forbidden(`${req.method} ${req.baseUrl || req.path}`, ROLES, principal.roles));
        attachPrincipal(req, principal);
        next();
      },
      (error: unknown) => sendError(res, error),
    );
  };
}
