/** EntityWrite: one entity's new state in a LedgerChange, as a repository builds it (its keys stay in the adapter). */

/** What the stored entity must look like for the write to go ahead. */
export type EntityExpectation =
  /** Creation: no entity with this id may exist. */
  | { readonly kind: 'absent' }
  /** Optimistic concurrency: the stored version must equal this one. */
  | { readonly kind: 'version'; readonly version: number }
  /** State-machine guard: the stored status must be one of these (and, if given, the version must match). */
  | { readonly kind: 'status'; readonly status: readonly string[]; readonly version?: number };

/** A secondary lookup the entity can be found by (for example its outTradeNo, or its status and age). */
export interface EntityIndexKey {
  readonly partition: string;
  readonly sort: string;
}

/** The new state of one entity, written in full, guarded by `expect`. The store sets `version`: 1 on creation, +1 on every write. */
export interface EntityWrite {
  readonly type: string;
  readonly id: string;
  /** The entity's JSON-serialisable state, stored as it is. */
  readonly state: object;
  readonly expect: EntityExpectation;
  /** `byRef`: exact lookups by an external reference. `byTime`: ordered scans within a partition. */
  readonly indexes?: { readonly byRef?: EntityIndexKey; readonly byTime?: EntityIndexKey };
}
