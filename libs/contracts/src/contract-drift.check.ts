import { DomainEventType, EVENT_SCHEMA_VERSIONS } from '@pipeline-ledger/domain';
import { CurrentEventData, DomainEventData, EVENT_CONTRACTS } from './event-contracts';
import { MutuallyAssignable } from './type-equivalence';

/**
 * Compile-time guard: the contracts cannot drift from the domain silently. `tsc` (npm test runs it first) fails here,
 * naming the event types, when
 * - the domain's current version of a type (EVENT_SCHEMA_VERSIONS) has no schema in EVENT_CONTRACTS, or
 * - the data a current schema describes and the data the domain's event type declares are not mutually assignable
 *   (a field added, removed, made nullable or optional, an enum changed on one side only).
 */

type Contracts = typeof EVENT_CONTRACTS;

/** Compiles only when given no event type: the error names those it was given. */
type NoEventTypes<Names extends never> = Names;

export type VersionsWithoutASchema = NoEventTypes<
  { [T in DomainEventType]: (typeof EVENT_SCHEMA_VERSIONS)[T] extends keyof Contracts[T]['versions'] ? never : T }[DomainEventType]
>;

export type SchemasThatDriftedFromTheDomain = NoEventTypes<
  { [T in DomainEventType]: MutuallyAssignable<CurrentEventData<T>, DomainEventData<T>> extends true ? never : T }[DomainEventType]
>;
