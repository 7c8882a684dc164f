/**
 * Who may do what. A principal (a person with a token, or a service with an API key) holds one or more roles, and
 * maybe the `pii` grant. Each route names the roles that may call it (access.decorators.ts); `admin` may call every
 * route.
 *
 * - sales: lead and opportunity commands, reads of the records
 * - manager: sales, plus reassigning owners and reopening
 * - analyst: analytics and lists, read-only; personal fields redacted unless also granted `pii`
 * - auditor: history, verify, correlations; read-only
 * - integration: the event feed and webhooks, plus creating leads (web forms)
 * - admin: everything, including rebuilds and key management
 */
export const ROLES = ['sales', 'manager', 'analyst', 'auditor', 'integration', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A grant beside the roles: may see personal fields (names, email, phone) in answers. */
export const PII_GRANT = 'pii';

/**
 * Roles that see personal fields without the grant: admin (everything), and sales and manager, who work the leads
 * and cannot do it without the names and the email.
 */
export const ROLES_WITH_PII: readonly Role[] = ['admin', 'sales', 'manager'];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The roles that may call a route whose @Allow() names `declared`: admin always, and only admin when none is named. */
export function rolesAllowed(declared: readonly Role[] | undefined): Role[] {
  return [...new Set<Role>([...(declared ?? []), 'admin'])];
}
