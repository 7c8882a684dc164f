import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles';

export const ALLOWED_ROLES = 'pl:allowedRoles';
export const PUBLIC_ROUTE = 'pl:publicRoute';

/** The roles that may call this route (admin always may). A route with neither this nor @Public() is refused to all but admin. */
export const Allow = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** No authentication (health; the web-to-lead intake, which checks its own per-form key). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
