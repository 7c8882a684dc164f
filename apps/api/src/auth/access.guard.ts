import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from './access.decorators';
import { AccessError } from './access.errors';
import { Authenticator } from './authenticator.service';
import { attachPrincipal } from './principal.decorator';
import { Role, rolesAllowed } from './roles';

/**
 * Every route, fail-closed (APP_GUARD): @Public() routes pass without credentials; every other one needs a valid
 * credential (401 otherwise) and one of the roles its @Allow() names (403 naming them otherwise). A route without
 * @Allow() is admin's only; admin may call every route. The principal is put on the request for what follows
 * (the command context, redaction).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const principal = await this.authenticator.authenticate(req.headers);
    attachPrincipal(req, principal);
    const allowed = rolesAllowed(this.reflector.getAllAndOverride<Role[]>(ALLOWED_ROLES, targets));
    if (principal.roles.some((role) => allowed.includes(role))) return true;
    throw AccessError.forbidden(`${req.method} ${routePath(req)}`, allowed, principal.roles);
  }
}

function routePath(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : req.path;
}
