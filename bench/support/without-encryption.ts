import { TestingModuleBuilder } from '@nestjs/testing';
import { EVENT_STORE, SqliteEventStore } from '@pipeline-ledger/event-store';
import { PersonalDataProtector } from '@pipeline-ledger/privacy';

/**
 * For the benches that compare with and without encryption: the repository seals nothing, and the store is the SQLite
 * event store itself (nothing opened on read), so personal fields are written in the clear, as before encryption
 * existed. Benchmarks only: the service has no setting that does this.
 */
export function withoutEncryption(builder: TestingModuleBuilder, eventStoreFile: string): TestingModuleBuilder {
  const passThrough = { seal: async <E>(events: readonly E[]) => [...events], unseal: async <E>(events: readonly E[]) => [...events], erase: async () => undefined };
  return builder
    .overrideProvider(PersonalDataProtector)
    .useValue(passThrough)
    .overrideProvider(EVENT_STORE)
    .useFactory({ factory: () => new SqliteEventStore({ filename: eventStoreFile }) });
}
