/**
 * Register a hospital (operator): it exists from now on, with no channel yet; tokens naming it may act.
 *
 * Primary course:
 *   1. Refuse the default hospital's id (it is the deployment's own, never registered).
 *   2. Create the hospital ACTIVE; an id already registered is a 409 (a replay of the same request is
 *      answered by the Idempotency-Key before this runs).
 */
import { ConcurrentModificationError } from '../../domain/errors';
import { hospitalId as checkedId, type Hospital } from '../../domain/hospital';
import type { HospitalDeps } from './deps';

/** Registers `hospitalId` under `name`; returns the new hospital. */
export async function registerHospital(
  deps: HospitalDeps,
  input: { readonly hospitalId: string; readonly name: string },
): Promise<Hospital> {
  const id = checkedId(input.hospitalId, 'body.hospitalId');
  if (id === deps.config.hospitals.defaultId)
    throw new ConcurrentModificationError(`${id} is the default hospital: it is not registered.`, {
      hospitalId: id,
    });
  const now = deps.clock.now().toISOString();
  const hospital: Hospital = {
    hospitalId: id,
    name: input.name,
    status: 'ACTIVE',
    channels: {},
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.hospitals.create(hospital);
  } catch (error) {
    if (error instanceof ConcurrentModificationError)
      throw new ConcurrentModificationError(`Hospital ${id} is already registered.`, { hospitalId: id });
    throw error;
  }
  return hospital;
}
