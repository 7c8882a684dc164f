import { mkdirSync } from 'node:fs';
import { EventStore, SqliteEventStore } from '@pipeline-ledger/event-store';
import { DataKeyStore, DataKeyring, MasterKey, PersonalDataEventStore, PersonalDataProtector, SqliteDataKeyStore } from '@pipeline-ledger/privacy';
import { AppConfig, ConfigError } from '../config/app-config';

/** The event store as the service uses it, and what it is made of. */
export interface EventStores {
  /** Personal fields opened on read and sealed on append: what everything but the hash-chain check uses. */
  events: PersonalDataEventStore;
  /** The store as written (personal fields sealed): what the hash chains cover. */
  sealed: EventStore;
  keys: DataKeyStore;
  protector: PersonalDataProtector;
  close(): Promise<void>;
}

/** Opens the configured event store behind the personal-data layer (the api, the projector and the CLI alike). */
export function openEventStores(config: AppConfig, log: (message: string) => void = () => undefined): EventStores {
  mkdirSync(config.dataDir, { recursive: true });
  const master = masterKey(config, log);
  const sealed = new SqliteEventStore({ filename: config.eventStoreFile });
  // Sharing the event store's file (the default), a key's commit becomes durable with the event's own fsync.
  const keys = new SqliteDataKeyStore({ filename: config.privacy.keyStoreFile, ownFsync: config.privacy.keyStoreFile !== config.eventStoreFile });
  const protector = new PersonalDataProtector(new DataKeyring(keys, master));
  const events = new PersonalDataEventStore(sealed, protector);
  return {
    events,
    sealed,
    keys,
    protector,
    close: async () => {
      await events.close();
      await keys.close();
    },
  };
}

function masterKey(config: AppConfig, log: (message: string) => void): MasterKey {
  const source = config.privacy.masterKey;
  try {
    switch (source.from) {
      case 'setting':
        return MasterKey.fromBase64(source.base64);
      case 'file':
        return MasterKey.fromFile(source.file, { create: false });
      case 'default-file':
        return MasterKey.fromFile(source.file, {
          create: true,
          created: (file) => log(`made a new master key in ${file}: fine for trying things out; in production set MASTER_KEY or MASTER_KEY_FILE from your secret store`),
        });
    }
  } catch (error) {
    const setting = source.from === 'setting' ? 'MASTER_KEY' : source.from === 'file' ? `MASTER_KEY_FILE=${JSON.stringify(source.file)}` : `the master key file ${source.file}`;
    throw new ConfigError(`Invalid configuration:\n  ${setting}: ${(error as Error).message}`);
  }
}
