/** Hospitals: the tenant every record belongs to, and the ids that name them. */
import { ValidationError } from './errors';

/** A hospital id: lower-case letters, digits and hyphens, 2–32 characters, starting with a letter or digit. */
export const HOSPITAL_ID = /^[a-z0-9][a-z0-9-]{1,31}$/;

/** True when `id` is a well-formed hospital id. */
export const isHospitalId = (id: unknown): id is string => typeof id === 'string' && HOSPITAL_ID.test(id);

/** `id` checked as a hospital id, or a ValidationError naming `path`. */
export function hospitalId(id: string, path = 'hospitalId'): string {
  if (!isHospitalId(id))
    throw new ValidationError(`${path} must be 2–32 lower-case letters, digits or hyphens.`, [
      { path, message: 'not a hospital id' },
    ]);
  return id;
}

/** Whether a hospital may take payments: a suspended one is refused at every route and job. */
export type HospitalStatus = 'ACTIVE' | 'SUSPENDED';

/** A hospital registered on the platform by an operator. */
export interface Hospital {
  readonly hospitalId: string;
  readonly name: string;
  readonly status: HospitalStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}
