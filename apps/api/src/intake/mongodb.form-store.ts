import { Collection } from 'mongodb';
import { MongoStoreOptions, recordCollection } from '../infrastructure/mongodb-records';
import { FormStore } from './form-store.port';
import { IntakeForm } from './intake-form';
import {
  FORM_LIST_ORDER,
  FormDocument,
  formOf,
  newFormDocument,
  revokeFilter,
  revokeUpdate,
  secretHashOf,
  WITHOUT_SECRET_HASH,
} from './mongodb-form-mapping';

export const INTAKE_FORMS_COLLECTION = 'intake_forms';

/**
 * Web forms on MongoDB (production): one document per form in `intake_forms`, `_id` its id, the SHA-256 of its key's
 * secret as BSON binary (never the key: it is shown once, by createIntakeForm), the times as the port's ISO strings
 * (see mongodb-form-mapping.ts). The collection sits in the database the other stores use (`data_keys`,
 * `checkpoints`, the read models' `rm_*`): its name clashes with none of them.
 *
 * As in SQLite, each write is one atomic statement: creating is one insert (a second form with the same id is refused
 * by the `_id` index, the first left as it was); revoking is one conditional update (only a form not revoked yet, so
 * the first time stays whoever revokes it at once), then the form is read back. No index beyond `_id`: forms are
 * few (an operator makes them with the CLI), and list() sorts them on the server by creation time, then id, as
 * SQLite's ORDER BY created_at, id does.
 *
 * A deleted or replaced document's bytes may stay in MongoDB's files, journal and oplog for a while (SQLite's
 * secure_delete has no equivalent here); only the hash of a 256-bit random secret is ever written, which opens nothing.
 */
export class MongoFormStore implements FormStore {
  private readonly forms: Collection<FormDocument>;
  private readonly release: () => Promise<void>;

  constructor(options: MongoStoreOptions) {
    ({ collection: this.forms, close: this.release } = recordCollection<FormDocument>(options, INTAKE_FORMS_COLLECTION));
  }

  async create(form: Omit<IntakeForm, 'revokedAt'>, secretHash: Buffer): Promise<IntakeForm> {
    const document = newFormDocument(form, secretHash);
    // Acknowledged (by a majority, journaled): the document is stored exactly as sent, so it is answered without a read.
    await this.forms.insertOne(document);
    return formOf(document);
  }

  async get(id: string): Promise<IntakeForm | null> {
    const document = await this.forms.findOne({ _id: id }, { projection: WITHOUT_SECRET_HASH });
    return document ? formOf(document) : null;
  }

  async credentials(id: string): Promise<{ form: IntakeForm; secretHash: Buffer } | null> {
    const document = await this.forms.findOne({ _id: id });
    return document ? { form: formOf(document), secretHash: secretHashOf(document) } : null;
  }

  async list(): Promise<IntakeForm[]> {
    const documents = await this.forms.find({}, { projection: WITHOUT_SECRET_HASH, sort: FORM_LIST_ORDER }).toArray();
    return documents.map(formOf);
  }

  async revoke(id: string, at: string): Promise<IntakeForm | null> {
    const revoked = await this.forms.findOneAndUpdate(revokeFilter(id), revokeUpdate(at), { returnDocument: 'after', projection: WITHOUT_SECRET_HASH });
    // Not revoked now: no such form, or one revoked already (keeping its first time), which is then answered as it is.
    return revoked ? formOf(revoked) : this.get(id);
  }

  async close(): Promise<void> {
    await this.release();
  }
}
