/**
 * For bench/security.bench.ts --in-process: the real application context (no HTTP), with the encryption of personal
 * data on or off, and a loop of CreateLead / LogLeadContact commands through its CommandBus. Benchmarks only.
 */
import { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../../apps/api/src/app.module';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { withoutEncryption } from './without-encryption';
import { ExecuteRecordCommand } from '../../apps/api/src/write/execute-record.command';
import { DEFAULT_RECORDS } from '../../apps/api/src/write/record-types';

export async function commandPathApp(dataDir: string, encryption: boolean): Promise<INestApplicationContext> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', PROJECTOR: 'off', WEBHOOKS: 'off' });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (!encryption) {
    builder = withoutEncryption(builder, config.eventStoreFile);
  }
  const moduleRef = await builder.compile();
  return moduleRef.init();
}

const DETAILS = { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines Ltd', title: 'Founder', email: 'ada@example.com', phone: '+44 20 7946 0000', source: 'Web Form' as const, campaign: null, industry: null, rating: null };

/** Runs `count` commands, `concurrency` at a time: new leads (create) or a contact logged on one of `leads` (work). */
export async function runCommands(app: INestApplicationContext, workload: 'create' | 'work', count: number, concurrency: number, leads: string[]): Promise<void> {
  const bus = app.get(CommandBus);
  let next = 0;
  const one = async () => {
    const at = new Date().toISOString();
    const commandId = randomUUID();
    const ctx = { actor: 'user:bench', correlationId: commandId, causationId: commandId, occurredAt: at };
    if (workload === 'create') {
      const id = randomUUID();
      await bus.execute(new ExecuteRecordCommand(DEFAULT_RECORDS.lead, id, { type: 'CreateLead', leadId: id, at, owner: 'bench', details: { ...DETAILS, email: `${id}@example.com` } }, ctx));
      leads.push(id);
    } else {
      const id = leads[next++ % leads.length]!;
      await bus.execute(new ExecuteRecordCommand(DEFAULT_RECORDS.lead, id, { type: 'LogLeadContact', leadId: id, at, channel: 'call', note: null }, ctx));
    }
  };
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < count) {
        started++;
        await one();
      }
    }),
  );
}
