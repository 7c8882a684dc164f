import { DuplicateMatch } from '@pipeline-ledger/domain';
import { FindQuery, ReadModelDocument } from '../read-model-store.port';
import { LEAD_IDENTITIES } from './lead-identities.projection';

export type IdentityKeyField = 'emailKey' | 'nameAndCompanyKey';

/** The keys a duplicate is looked for by, in the order they win: the same email before the same name and company. */
export const IDENTITY_MATCHES: ReadonlyArray<readonly [IdentityKeyField, DuplicateMatch]> = [
  ['emailKey', 'email'],
  ['nameAndCompanyKey', 'name-and-company'],
];

/** The oldest matchable lead with this key: the original, when there are several already. */
export function leadIdentityMatchQuery(field: IdentityKeyField, key: string): { collection: string; query: FindQuery } {
  return {
    collection: LEAD_IDENTITIES,
    query: {
      filters: [
        { field, op: 'eq', value: key },
        { field: 'closed', op: 'eq', value: null },
      ],
      sort: [{ field: 'createdAt', direction: 'asc' }],
      limit: 1,
    },
  };
}

/** The lead id of a match query's answer; null when nothing matched. */
export function leadIdentityMatch(documents: readonly ReadModelDocument[]): string | null {
  return documents[0]?.id ?? null;
}
