/**
 * Suspend a hospital, or let it act again (operator). A suspended hospital's tokens are refused on every
 * route (within the minute its registration is cached), while its providers' notifications and the
 * scheduled jobs still complete the payments, refunds and settlements already under way.
 *
 * Primary course:
 *   1. Read the hospital (404 when not registered).
 *   2. Save its status (the same status again changes nothing).
 */
import { NotFoundError } from '../../domain/errors';
import type { Hospital, HospitalStatus } from '../../domain/hospital';
import type { HospitalDeps } from './deps';

/** Sets `hospitalId`'s status; returns the hospital as saved. */
export async function setHospitalStatus(
  deps: HospitalDeps,
  hospitalId: string,
  status: HospitalStatus,
): Promise<Hospital> {
  const current = await deps.hospitals.get(hospitalId);
  if (!current) throw new NotFoundError('hospital', hospitalId);
  if (current.value.status === status) return current.value;
  const next: Hospital = { ...current.value, status, updatedAt: deps.clock.now().toISOString() };
  await deps.hospitals.update(current, next);
  return next;
}
