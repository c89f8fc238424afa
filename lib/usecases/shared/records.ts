/** Loading stored entities as use cases need them: owned by a patient, or found by a reference. */
import { NotFoundError } from '../../domain/errors';
import type { IdKind } from '../../domain/ids';
import type { IdGenerator } from '../../ports/id-generator';
import type { EntityExpectation, EntityWrite, LedgerChange, LedgerStore } from '../../ports/ledger-store';

/** An entity with the stored version it was read at (the guard of its next write). */
export type Versioned<T> = { readonly value: T; readonly version: number };

/** Loads an entity owned by a patient, or throws NOT_FOUND, also for another patient's (no enumeration). */
export async function loadOwned<T extends { patientId: string }>(
  ledger: LedgerStore,
  type: string,
  label: string,
  id: string,
  patientScope?: string,
): Promise<Versioned<T>> {
  const stored = await ledger.getEntity(type, id);
  const value = stored?.state as T | undefined;
  if (!stored || !value || (patientScope !== undefined && value.patientId !== patientScope))
    throw new NotFoundError(label, id);
  return { value, version: stored.version };
}

/** The entity indexed under an exact reference, with its version. */
export async function findVersioned<T>(
  ledger: LedgerStore,
  partition: string,
): Promise<Versioned<T> | undefined> {
  const stored = await ledger.findByRef(partition);
  return stored ? { value: stored.state as unknown as T, version: stored.version } : undefined;
}

/** A new entity's id: derived from the request's key when there is one (so a retry gets the same id), else fresh. */
export const idFor = (ids: IdGenerator, kind: IdKind, requestKey?: string) =>
  requestKey ? ids.derive(kind, requestKey) : ids.next(kind);

/**
 * A new entity's id for a request, and what an earlier attempt of the same request already stored under it
 * (only a request with a key can have one, so nothing is read otherwise).
 */
export async function firstAttempt<T>(
  deps: { ids: IdGenerator; ledger: LedgerStore },
  kind: IdKind,
  type: string,
  requestKey?: string,
): Promise<{ id: string; earlier?: T }> {
  const id = idFor(deps.ids, kind, requestKey);
  const stored = requestKey ? await deps.ledger.getEntity(type, id) : undefined;
  return { id, earlier: stored?.state as T | undefined };
}

/** The status type of an entity that has one. */
type StatusOf<T> = T extends { readonly status: infer S } ? S : never;

/** How one entity type is stored: its type name, its id, its index keys and the domain's transition rule. */
export interface EntityKind<T extends object> {
  readonly type: string;
  readonly id: (value: T) => string;
  readonly indexes?: (value: T) => EntityWrite['indexes'];
  /** Throws InvalidStateError for a status change the domain forbids. */
  readonly assertTransition?: (id: string, from: StatusOf<T>, to: StatusOf<T>) => void;
}

/** The EntityWrite of `value`'s new state: the one builder for every entity type. */
export function entityWrite<T extends object>(
  kind: EntityKind<T>,
  value: T,
  expect: EntityExpectation,
): EntityWrite {
  const indexes = kind.indexes?.(value);
  return { type: kind.type, id: kind.id(value), state: value, expect, ...(indexes ? { indexes } : {}) };
}

/**
 * The write that moves an entity from `current` to `next`: the domain's rule is checked first, and the
 * store applies it only if the entity is still at the status and version it was read at.
 */
export function transitionWrite<T extends { readonly status: string }>(
  kind: EntityKind<T>,
  current: Versioned<T>,
  next: T,
): EntityWrite {
  if (next.status !== current.value.status)
    kind.assertTransition?.(kind.id(next), current.value.status as StatusOf<T>, next.status as StatusOf<T>);
  return entityWrite(kind, next, {
    kind: 'status',
    status: [current.value.status],
    version: current.version,
  });
}

/**
 * Moves an entity (load → guard → next state → guarded commit): `next` is written with the change's
 * journal, events and other entities in one transaction; returns it with the version the store gave it.
 */
export async function transition<T extends { readonly status: string }>(
  ledger: LedgerStore,
  kind: EntityKind<T>,
  current: Versioned<T>,
  next: T,
  change: Omit<LedgerChange, 'entities'> & { readonly entities?: LedgerChange['entities'] } = {},
): Promise<Versioned<T>> {
  await ledger.commit({
    ...change,
    entities: [transitionWrite(kind, current, next), ...(change.entities ?? [])],
  });
  // The store bumps the version by one on every guarded write, so there is nothing to read back.
  return { value: next, version: current.version + 1 };
}
