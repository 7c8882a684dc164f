import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Role, rolesAllowed } from './roles';

export const ALLOWED_ROLES = 'pl:allowedRoles';
export const PUBLIC_ROUTE = 'pl:publicRoute';

/** The OpenAPI extension that lists, on each operation, the roles that may call it (admin among them). */
export const ROLES_EXTENSION = 'x-roles';
export const PUBLIC_EXTENSION = 'x-public';

/**
 * The roles that may call this route (admin always may). A route with neither this nor @Public() is refused to all
 * but admin (AccessGuard). The roles are written into the OpenAPI document too.
 */
export const Allow = (...roles: Role[]) => applyDecorators(SetMetadata(ALLOWED_ROLES, roles), ApiExtension(ROLES_EXTENSION, rolesAllowed(roles)));

/** No authentication (health; the web-to-lead intake, which checks its own per-form key). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(PUBLIC_EXTENSION, true));
