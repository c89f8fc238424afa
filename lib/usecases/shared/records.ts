/** Loading stored entities as use cases need them: owned by a patient, or found by a reference. */
import { NotFoundError } from '../../domain/errors';
import type { IdKind } from '../../domain/ids';
import type { IdGenerator } from '../../ports/id-generator';
import type { LedgerStore } from '../../ports/ledger-store';

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
