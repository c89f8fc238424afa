/** Read the registry (operator): one hospital, or every one. */
import { NotFoundError } from '../../domain/errors';
import type { Hospital } from '../../domain/hospital';
import type { HospitalDeps } from './deps';

/** The registered hospital `hospitalId`, or a NotFoundError. */
export async function getHospital(deps: HospitalDeps, hospitalId: string): Promise<Hospital> {
  const found = await deps.hospitals.get(hospitalId);
  if (!found) throw new NotFoundError('hospital', hospitalId);
  return found.value;
}

/** Every registered hospital, oldest first. */
export async function listHospitals(deps: HospitalDeps): Promise<Hospital[]> {
  const out: Hospital[] = [];
  for await (const h of deps.hospitals.all()) out.push(h);
  return out;
}
