import { Collection } from 'mongodb';
import { MongoStoreOptions, recordCollection } from '../infrastructure/mongodb-records';
import { CREATION_ORDER_INDEX, insertInCreationOrder } from '../infrastructure/mongodb-creation-order';
import { ApiKeyStore, NewApiKey, StoredApiKey } from './api-key-store.port';
import {
  API_KEY_LIST_INDEX,
  API_KEY_LIST_ORDER,
  ApiKeyDocument,
  byId,
  markUsedUpdate,
  newApiKeyDocument,
  revokeUpdate,
  toStoredApiKey,
} from './mongodb-api-key-mapping';

export const API_KEYS_COLLECTION = 'api_keys';

/**
 * API keys on MongoDB (production, where api replicas keep nothing on disk): one document per key in `api_keys`, its
 * id as `_id`, only the SHA-256 of the secret (as BSON binary), the times as the port's ISO strings (see
 * mongodb-api-key-mapping.ts). The client connects on first use.
 *
 * - Order: list() sorts by createdAt, then by creation order (`seq`, ../infrastructure/mongodb-creation-order.ts), as
 *   SQLite's ORDER BY created_at, rowid. Its indexes (`seq` unique, and createdAt + seq) are created on the first
 *   create() or list() of each store (createIndexes leaves existing ones as they are).
 * - Revocation is one findOneAndUpdate with an update pipeline: the first revocation's time is kept and the hash wiped
 *   in the same atomic update of the document, so two processes revoking at once keep one time.
 * - A revoked key's hash is overwritten with zeros, as in SQLite. What that cannot promise here: MongoDB does not zero
 *   the space it frees, and the hash as created stays in the oplog until it rolls over, in the journal until its files
 *   are recycled, and in backups (see libs/privacy/src/mongodb.data-key-store.ts on what can be done about that). It
 *   is a hash of 256 random bits, not the secret, and the key is refused by its revocation time anyway.
 */
export class MongoApiKeyStore implements ApiKeyStore {
  private readonly keys: Collection<ApiKeyDocument>;
  private readonly release: () => Promise<void>;
  private readonly indexed: () => Promise<void>;

  constructor(options: MongoStoreOptions) {
    ({ collection: this.keys, indexed: this.indexed, close: this.release } = recordCollection<ApiKeyDocument>(options, API_KEYS_COLLECTION, [CREATION_ORDER_INDEX, API_KEY_LIST_INDEX]));
  }

  async create(key: NewApiKey): Promise<StoredApiKey> {
    await this.indexed();
    return toStoredApiKey(await insertInCreationOrder(this.keys, newApiKeyDocument(key)));
  }

  async get(id: string): Promise<StoredApiKey | null> {
    const document = await this.keys.findOne(byId(id));
    return document ? toStoredApiKey(document) : null;
  }

  async list(): Promise<StoredApiKey[]> {
    await this.indexed();
    return (await this.keys.find().sort(API_KEY_LIST_ORDER).toArray()).map(toStoredApiKey);
  }

  async revoke(id: string, at: string): Promise<StoredApiKey | null> {
    const document = await this.keys.findOneAndUpdate(byId(id), revokeUpdate(at), { returnDocument: 'after' });
    return document ? toStoredApiKey(document) : null;
  }

  async markUsed(id: string, at: string): Promise<void> {
    await this.keys.updateOne(byId(id), markUsedUpdate(at));
  }

  async close(): Promise<void> {
    await this.release();
  }
}
