import { DuplicateMatch } from '@pipeline-ledger/domain';
import { EventStore } from '@pipeline-ledger/event-store';
import { PersonalDataProtector } from '@pipeline-ledger/privacy';
import {
  IDENTITY_MATCHES,
  IdentityKeyField,
  LEAD_IDENTITIES,
  LeadIdentityDocument,
  LeadIdentityKeys,
  ReadModelStore,
  leadIdentitiesProjection,
} from '@pipeline-ledger/read-models';

export interface KnownLead {
  leadId: string;
  matchedOn: DuplicateMatch;
}


/** Events read per page while catching up on what the lead-identities read model has not applied yet. */
const PAGE = 5000;

/**
 * The leads the store has, as an import needs to find duplicates among them: the lead-identities read model (hashed
 * keys; the same one the web-to-lead intake asks) as far as its checkpoint, plus, applied here by the same projection,
 * every lead event after it. So an import sees every lead up to the head of the store when it starts, whether or not a
 * projector is running (a CLI import with the service stopped, a second import right after a first one).
 *
 * Lookups go a batch of rows at a time: one query per key field for the whole batch. The same email wins over the same
 * name and company; among several matching leads, the oldest. Converted and erased leads are not matched.
 */
export class KnownLeads {
  /** Lead documents changed after the read model's checkpoint: these win over the read model's copy. */
  private readonly recent = new Map<string, LeadIdentityDocument>();
  /** The same, by `${field}:${key}`. */
  private readonly recentByKey = new Map<string, LeadIdentityDocument[]>();
  private generation: number | null = null;

  constructor(
    private readonly readModels: ReadModelStore,
    /** The store as written: only the lead events the projection reads are read (filtered in the store) and opened. */
    private readonly sealed: EventStore,
    private readonly protector: PersonalDataProtector,
  ) {}

  /** Reads what the read model has not applied yet, up to the head of the store now. */
  async load(): Promise<void> {
    const state = await this.readModels.state(leadIdentitiesProjection.name);
    this.generation = state?.active.generation ?? null;
    const checkpoint = state?.active.checkpoint ?? null;
    const head = await this.sealed.headPosition();
    const filter = { eventTypes: [...leadIdentitiesProjection.eventTypes] };
    for (let after = checkpoint; head !== null && (after === null || after < head); ) {
      const page = await this.sealed.readAll({ after, maxCount: PAGE, filter });
      if (page.length === 0) break;
      for (const event of await this.protector.unseal(page.filter((e) => e.position <= head))) {
        const id = leadIdentitiesProjection.entityId(event);
        if (!id) continue;
        const current = this.recent.get(id) ?? (await this.fromReadModel(id));
        const result = leadIdentitiesProjection.apply(event, current);
        if (result.document) this.recent.set(id, result.document);
      }
      after = page[page.length - 1]!.position;
    }
    for (const doc of this.recent.values()) {
      for (const [field] of IDENTITY_MATCHES) {
        const key = doc[field];
        if (key === null) continue;
        const list = this.recentByKey.get(`${field}:${key}`);
        if (list) list.push(doc);
        else this.recentByKey.set(`${field}:${key}`, [doc]);
      }
    }
  }

  /** For each set of keys, the lead it matches, or null. */
  async match(keys: readonly Pick<LeadIdentityKeys, IdentityKeyField>[]): Promise<Array<KnownLead | null>> {
    const answers: Array<KnownLead | null> = keys.map(() => null);
    for (const [field, matchedOn] of IDENTITY_MATCHES) {
      const wanted = [...new Set(keys.map((k) => k[field]).filter((k): k is string => k !== null))];
      if (wanted.length === 0) continue;
      const oldest = new Map<string, LeadIdentityDocument>();
      const consider = (doc: LeadIdentityDocument) => {
        const key = doc[field];
        if (key === null || doc.closed !== null) return;
        const seen = oldest.get(key);
        if (!seen || doc.createdAt < seen.createdAt) oldest.set(key, doc);
      };
      if (this.generation !== null) {
        const found = await this.readModels.find(LEAD_IDENTITIES, {
          filters: [
            { field, op: 'in', value: wanted },
            { field: 'closed', op: 'eq', value: null },
          ],
          limit: 1_000_000,
        });
        for (const doc of found.documents as LeadIdentityDocument[]) if (!this.recent.has(doc.id)) consider(doc);
      }
      for (const key of wanted) for (const doc of this.recentByKey.get(`${field}:${key}`) ?? []) consider(doc);
      keys.forEach((k, i) => {
        const key = k[field];
        const doc = key === null || answers[i] ? undefined : oldest.get(key);
        if (doc) answers[i] = { leadId: doc.id, matchedOn };
      });
    }
    return answers;
  }

  private async fromReadModel(id: string): Promise<LeadIdentityDocument | null> {
    if (this.generation === null) return null;
    const docs = await this.readModels.getDocuments(leadIdentitiesProjection.name, this.generation, LEAD_IDENTITIES, [id]);
    return (docs.get(id) as LeadIdentityDocument | undefined) ?? null;
  }
}
