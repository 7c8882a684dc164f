/**
 * Type-level helpers for the compile-time drift check (contract-drift.check.ts). Mutual assignability: each type is
 * assignable to the other, so a field missing on either side, a field that is nullable on one side only, an optional
 * field that is required on the other, or an enum with one value more or less, all make it false. `any` on either
 * side is false too, since it would make every check pass.
 */
export type IsAny<T> = 0 extends 1 & T ? true : false;

export type MutuallyAssignable<A, B> =
  IsAny<A> extends true ? false : IsAny<B> extends true ? false : [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// The helper's own checks, at compile time: each must hold or `tsc` fails here.
type Refuses<T extends false> = T;
type Accepts<T extends true> = T;
export type MutuallyAssignableSelfCheck = [
  Refuses<MutuallyAssignable<{ a: string }, { a: string; b: string }>>, // a field missing
  Refuses<MutuallyAssignable<{ a: string | null }, { a: string }>>, // nullable on one side only
  Refuses<MutuallyAssignable<{ a?: string }, { a: string | undefined }>>, // optional on one side only
  Refuses<MutuallyAssignable<{ a: 'x' | 'y' }, { a: 'x' }>>, // an enum with one value more
  Refuses<MutuallyAssignable<any, { a: string }>>, // eslint-disable-line @typescript-eslint/no-explicit-any -- any hides everything
  Accepts<MutuallyAssignable<{ a: string } & { b: number | null }, { a: string; b: number | null }>>, // an intersection is its flat shape
];
