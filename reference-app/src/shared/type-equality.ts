/**
 * `true` when A and B are the same type, `never` otherwise. A public contract that spells its
 * own types (so the domain can change behind it) pins them to the domain with
 * `const _agree: Same<Public, Domain> = true`, so drift is a compile error, not a surprise.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
