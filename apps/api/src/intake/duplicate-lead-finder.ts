import { Inject, Injectable } from '@nestjs/common';
import { DuplicateMatch } from '@pipeline-ledger/domain';
import {
  IDENTITY_MATCHES,
  IdentityKeyField,
  LeadIdentityKeys,
  READ_MODEL_STORE,
  ReadModelStore,
  leadIdentitiesProjection,
  leadIdentityMatch,
  leadIdentityMatchQuery,
} from '@pipeline-ledger/read-models';
import { HttpRefusal } from '../http/http-refusal';

export interface DuplicateFound {
  leadId: string;
  matchedOn: DuplicateMatch;
}


/** How long a lead created here is remembered at most, if the projector never catches up with it (stopped, failed). */
const REMEMBER_MS = 10 * 60_000;

/**
 * Is a submission a lead we have already? The write side's one lookup in a read model (architecture.md: "the one
 * exception worth discussing is duplicate detection"): the lead-identities projection, by hashed keys. The same email
 * wins over the same name and company; among several matches, the oldest lead.
 *
 * The projection is eventually consistent: a lead is in it once the projector has applied its LeadCreated (within a
 * second). So that two identical submissions a moment apart still meet, the leads this process created are also
 * remembered here, by their keys, until the projection has them; with the intake serializing submissions per key,
 * the second one then finds the first's lead. Across processes (replicas), that moment remains.
 */
@Injectable()
export class DuplicateLeadFinder {
  /** `${field}:${key}` of leads created here that the projection may not have yet. */
  private readonly recent = new Map<string, { leadId: string; position: bigint | null; at: number }>();

  constructor(@Inject(READ_MODEL_STORE) private readonly store: ReadModelStore) {}

  async find(keys: LeadIdentityKeys): Promise<DuplicateFound | null> {
    const checkpoint = await this.checkpoint();
    this.forget(checkpoint);
    for (const [field, matchedOn] of IDENTITY_MATCHES) {
      const key = keys[field];
      if (key === null) continue;
      const q = leadIdentityMatchQuery(field, key);
      const leadId = leadIdentityMatch((await this.store.find(q.collection, q.query)).documents) ?? this.recent.get(`${field}:${key}`)?.leadId;
      if (leadId) return { leadId, matchedOn };
    }
    return null;
  }

  /** A lead just created here, appended at or before `position`: found by its keys until the projection has it. */
  remember(keys: LeadIdentityKeys, leadId: string, position: bigint | null): void {
    for (const [field] of IDENTITY_MATCHES) {
      const key = keys[field];
      if (key !== null && !this.recent.has(`${field}:${key}`)) this.recent.set(`${field}:${key}`, { leadId, position, at: Date.now() });
    }
  }

  /** How many leads are remembered (for tests). */
  get remembered(): number {
    return this.recent.size;
  }

  /** The projection's checkpoint; 503 while it has never been prepared (a new read-model store, PROJECTOR=off). */
  private async checkpoint(): Promise<bigint | null> {
    const state = await this.store.state(leadIdentitiesProjection.name);
    if (!state) {
      throw new HttpRefusal(503, 'INTAKE_NOT_READY', 'duplicate detection is not ready yet (the lead-identities projection has not started); retry shortly', { 'Retry-After': '5' });
    }
    return state.active.checkpoint;
  }

  private forget(checkpoint: bigint | null): void {
    const now = Date.now();
    for (const [key, entry] of this.recent) {
      const applied = checkpoint !== null && entry.position !== null && entry.position <= checkpoint;
      if (applied || now - entry.at > REMEMBER_MS) this.recent.delete(key);
    }
  }
}
