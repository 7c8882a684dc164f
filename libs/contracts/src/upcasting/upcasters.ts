import type { DomainEventType } from '@pipeline-ledger/domain';
import { leadDisqualifiedV1ToV2 } from './lead-disqualified.upcasters';

/** One step: the data of version n of an event type to version n + 1. Pure; it must not change its argument. */
export type UpcastStep = (data: Record<string, unknown>) => Record<string, unknown>;

/** Each event type's steps, by the version they start from. */
export type UpcastSteps = { readonly [T in DomainEventType]?: { readonly [fromVersion: number]: UpcastStep } };

/**
 * Every step there is. A version bump of an event type (EVENT_SCHEMA_VERSIONS) needs the step from the version
 * before it here; upcast.spec.ts checks that every old version has its way to the current one.
 */
export const UPCAST_STEPS: UpcastSteps = {
  LeadDisqualified: { 1: leadDisqualifiedV1ToV2 as unknown as UpcastStep },
};
