import { Collection, MongoClient } from 'mongodb';
import { CheckpointStore } from './checkpoint-store.port';
import { CheckpointDocument, positionOf, saveCheckpointUpdate } from './mongodb-checkpoint-mapping';

export interface MongoCheckpointStoreOptions {
  /** The connection string (used only when no client is given). */
  url: string;
  database: string;
  /** A client to share; the store then leaves closing it to its owner. */
  client?: MongoClient;
}

export const CHECKPOINTS_COLLECTION = 'checkpoints';

/**
 * Checkpoints on MongoDB (production): one document per subscriber, `_id` its name, the position as decimal digits
 * (exact at any size: see mongodb-checkpoint-mapping.ts). Saved with majority write concern, so an acknowledged
 * checkpoint is not rolled back by a failover (one lost would only cost re-reading: the subscribers are idempotent).
 */
export class MongoCheckpointStore implements CheckpointStore {
  private readonly client: MongoClient;
  private readonly ownsClient: boolean;
  private readonly checkpoints: Collection<CheckpointDocument>;

  constructor(options: MongoCheckpointStoreOptions) {
    this.ownsClient = !options.client;
    this.client = options.client ?? new MongoClient(options.url);
    this.checkpoints = this.client
      .db(options.database)
      .collection<CheckpointDocument>(CHECKPOINTS_COLLECTION, { writeConcern: { w: 'majority' } });
  }

  async load(name: string): Promise<bigint | null> {
    return positionOf(await this.checkpoints.findOne({ _id: name }, { projection: { position: 1 } }));
  }

  async save(name: string, position: bigint): Promise<void> {
    await this.checkpoints.updateOne({ _id: name }, saveCheckpointUpdate(position, new Date()), { upsert: true });
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
