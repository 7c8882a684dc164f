import { Command } from 'commander';
import { LEAD_SOURCES } from '@pipeline-ledger/domain';
import { loadConfig } from '../../api/src/config/app-config';
import { IntakeForm } from '../../api/src/intake/intake-form';
import { createIntakeForm } from '../../api/src/intake/intake-forms';
import { FormStore } from '../../api/src/intake/form-store.port';
import { openFormStore } from '../../api/src/infrastructure/stores';

/**
 * `forms create | list | revoke`: the web forms of POST /intake/leads, where the service keeps them (the same
 * settings as the service; it may be running). A form's key is printed by `create` only: it is not kept.
 */
export function formsCommand(): Command {
  const forms = new Command('forms').description('web forms for POST /intake/leads (web-to-lead): create one (its key is shown once), list them, revoke one');

  forms
    .command('create')
    .description('create a form and print its key (shown this once: only a hash of it is kept)')
    .requiredOption('--name <name>', 'what the form is, for people, e.g. "Contact us (website)"')
    .requiredOption('--owner <owner>', 'who owns the leads it brings')
    .option('--source <source>', `lead source of its leads: ${LEAD_SOURCES.join(', ')}`, 'Web Form')
    .option('--campaign <campaign>', 'the campaign its leads are attributed to')
    .option('--json', 'print the form and its key as JSON')
    .action(async (options: { name: string; owner: string; source: string; campaign?: string; json?: boolean }) => {
      await withStore(async (store) => {
        const { form, key } = await createIntakeForm(store, {
          name: options.name,
          owner: options.owner,
          source: options.source as IntakeForm['source'],
          campaign: options.campaign ?? null,
        });
        if (options.json) {
          console.log(JSON.stringify({ ...form, key }));
          return;
        }
        console.log(`created form ${form.id} "${form.name}": source ${form.source}, owner ${form.owner}${form.campaign ? `, campaign ${form.campaign}` : ''}`);
        console.log(`key (shown only now; keep it in the form's page, not here): ${key}`);
      });
    });

  forms
    .command('list')
    .description('every form, oldest first (never a key: none is kept)')
    .option('--json', 'one JSON object per form (JSON lines)')
    .action(async (options: { json?: boolean }) => {
      await withStore(async (store) => {
        const all = await store.list();
        for (const form of all) console.log(options.json ? JSON.stringify(form) : describe(form));
        if (!options.json) console.log(`${all.length} form(s)`);
      });
    });

  forms
    .command('revoke')
    .description('revoke a form: its key is refused (401) from now on, for good')
    .argument('<id>', 'the form id')
    .action(async (id: string) => {
      await withStore(async (store) => {
        const form = await store.revoke(id, new Date().toISOString());
        if (!form) throw new Error(`no form ${id} (forms list shows them)`);
        console.log(`revoked form ${form.id} "${form.name}" at ${form.revokedAt}`);
      });
    });

  return forms;
}

async function withStore(work: (store: FormStore) => Promise<void>): Promise<void> {
  const store = openFormStore(loadConfig());
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

function describe(form: IntakeForm): string {
  const state = form.revokedAt ? `revoked ${form.revokedAt}` : 'active';
  return `${form.id}  ${state}  "${form.name}"  source ${form.source}  owner ${form.owner}  campaign ${form.campaign ?? '-'}  created ${form.createdAt}`;
}
