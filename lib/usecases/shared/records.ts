/** Loading stored entities as use cases need them (owned by a patient, or a request's earlier attempt), and moving them. */
import { NotFoundError } from '../../domain/errors';
import type { IdKind } from '../../domain/ids';
import type { IdGenerator } from '../../ports/id-generator';
import type { LedgerChange, LedgerStore } from '../../ports/ledger-store';
import type { Repository, StatusRepository, Versioned } from '../../ports/repositories';

export type { Versioned } from '../../ports/repositories';

/** Loads an entity owned by a patient, or throws NOT_FOUND, also for another patient's (no enumeration). */
export async function loadOwned<T extends { patientId: string }>(
  repository: Repository<T>,
  label: string,
  id: string,
  patientScope?: string,
): Promise<Versioned<T>> {
  const found = await loadOrNotFound(repository, label, id);
  if (patientScope !== undefined && found.value.patientId !== patientScope)
    throw new NotFoundError(label, id);
  return found;
}

/** Loads an entity, or throws NOT_FOUND. */
export async function loadOrNotFound<T>(
  repository: Repository<T>,
  label: string,
  id: string,
): Promise<Versioned<T>> {
  const found = await repository.get(id);
  if (!found) throw new NotFoundError(label, id);
  return found;
}

/** A new entity's id: derived from the request's key when there is one (so a retry gets the same id), else fresh. */
export const idFor = (ids: IdGenerator, kind: IdKind, requestKey?: string) =>
  requestKey ? ids.derive(kind, requestKey) : ids.next(kind);

/**
 * A new entity's id for a request, and what an earlier attempt of the same request already stored under it
 * (only a request with a key can have one, so nothing is read otherwise).
 */
export async function firstAttempt<T>(
  ids: IdGenerator,
  repository: Repository<T>,
  kind: IdKind,
  requestKey?: string,
): Promise<{ id: string; earlier?: T }> {
  const id = idFor(ids, kind, requestKey);
  const earlier = requestKey ? (await repository.get(id))?.value : undefined;
  return { id, earlier };
}

/**
 * Moves an entity (load → guard → next state → guarded commit): `next` is written with the change's
 * journal, events and other entities in one transaction; returns it with the version the store gave it.
 */
export async function transition<T extends { readonly status: string }>(
  ledger: LedgerStore,
  repository: StatusRepository<T>,
  current: Versioned<T>,
  next: T,
  change: Omit<LedgerChange, 'entities'> & { readonly entities?: LedgerChange['entities'] } = {},
): Promise<Versioned<T>> {
  await ledger.commit({
    ...change,
    entities: [repository.transition(current, next), ...(change.entities ?? [])],
  });
  // The store bumps the version by one on every guarded write, so there is nothing to read back.
  return { value: next, version: current.version + 1 };
}
