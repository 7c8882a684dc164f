import { Command, InvalidArgumentError } from 'commander';
import { hashSecret, newApiKey } from '../../api/src/auth/api-key';
import { ApiKeyStore, StoredApiKey } from '../../api/src/auth/api-key-store.port';
import { ROLES, Role, isRole } from '../../api/src/auth/roles';
import { openApiKeyStore } from '../../api/src/infrastructure/stores';
import { loadConfig } from '../../api/src/config/app-config';

/**
 * `keys create | list | revoke`: API keys for services, in <DATA_DIR>/access.sqlite. A new key is printed once, on
 * stdout alone (so `KEY=$(pipeline-ledger keys create ...)` captures it); only its hash is kept, so it cannot be
 * shown again: a lost key is revoked and replaced.
 */
export function keysCommand(): Command {
  const keys = new Command('keys').description('API keys for services: create (the key is shown once), list, revoke');

  keys
    .command('create')
    .description('create an API key and print it, once')
    .requiredOption('--name <name>', 'who or what holds it, e.g. web-forms, billing-sync', keyName)
    .requiredOption('--role <role...>', `one or more of: ${ROLES.join(', ')}`, collectRoles, [] as Role[])
    .option('--pii', 'may see personal fields (names, email, phone); admin, sales and manager see them anyway', false)
    .action((options: { name: string; role: Role[]; pii: boolean }) =>
      withStore(async (store) => {
        const { id, secret, key } = newApiKey();
        const stored = await store.create({ id, name: options.name, roles: options.role, pii: options.pii, secretHash: hashSecret(secret), createdAt: new Date().toISOString() });
        console.log(key);
        console.error(
          `created API key ${stored.id} "${stored.name}" (${stored.roles.join(', ')}${stored.pii ? ', pii' : ''}). ` +
            'This is the only time it is shown: store it now (only its hash is kept). Send it as "Authorization: Bearer <key>" or "X-Api-Key: <key>".',
        );
      }),
    );

  keys
    .command('list')
    .description('list API keys (never their secrets)')
    .action(() =>
      withStore(async (store) => {
        const all = await store.list();
        if (all.length === 0) return console.log('no API keys yet: pipeline-ledger keys create --name <name> --role <role...>');
        for (const k of all) console.log(describe(k));
      }),
    );

  keys
    .command('revoke')
    .description('revoke an API key: refused from the next request on')
    .argument('<id>', 'the key id (the 16 hex digits after plk_, as keys list shows)')
    .action((id: string) =>
      withStore(async (store) => {
        const revoked = await store.revoke(id.trim(), new Date().toISOString());
        if (!revoked) {
          console.error(`no API key ${id}`);
          process.exitCode = 1;
          return;
        }
        console.log(`revoked ${describe(revoked)}`);
      }),
    );

  return keys;
}

function describe(k: StoredApiKey): string {
  const state = k.revokedAt ? `revoked ${k.revokedAt}` : 'active';
  return `${k.id}  ${JSON.stringify(k.name)}  roles: ${k.roles.join(',')}${k.pii ? '  +pii' : ''}  created ${k.createdAt}  last used ${k.lastUsedAt ?? 'never'}  ${state}`;
}

async function withStore(work: (store: ApiKeyStore) => Promise<void>): Promise<void> {
  const store = openApiKeyStore(loadConfig());
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

function keyName(value: string): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 100 || /[\x00-\x1f\x7f]/.test(name)) throw new InvalidArgumentError('must be 1 to 100 printable characters');
  return name;
}

function collectRoles(value: string, previous: Role[]): Role[] {
  const roles = value.split(',').map((r) => r.trim()).filter(Boolean);
  for (const role of roles) {
    if (role === 'pii') throw new InvalidArgumentError('pii is a grant, not a role: add --pii');
    if (!isRole(role)) throw new InvalidArgumentError(`${JSON.stringify(role)} is not a role; roles: ${ROLES.join(', ')}`);
  }
  return [...new Set([...previous, ...(roles as Role[])])];
}
