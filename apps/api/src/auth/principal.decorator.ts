import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { Principal } from './principal';

/** `req.principal`: set by the AccessGuard once the request's credential is checked; no header or body can set it. */
type WithPrincipal = { principal?: Principal };

export function attachPrincipal(req: object, principal: Principal): void {
  (req as WithPrincipal).principal = principal;
}

/** The request's principal; undefined on a @Public() route (unless that route established one itself). */
export function principalOf(req: object): Principal | undefined {
  return (req as WithPrincipal).principal;
}

/** The request's principal; a route that needs one but has none is a programming error (500), never a guess. */
export function requirePrincipal(req: object): Principal {
  const principal = principalOf(req);
  if (!principal) throw new Error('no principal on this request: a @Public() route that acts must establish who is calling (attachPrincipal)');
  return principal;
}

/** The authenticated caller, as a handler parameter: `@CurrentPrincipal() principal: Principal`. */
export const CurrentPrincipal = createParamDecorator((_: unknown, execution: ExecutionContext): Principal => requirePrincipal(execution.switchToHttp().getRequest()));
