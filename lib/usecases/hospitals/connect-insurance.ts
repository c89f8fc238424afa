/**
 * Connect a hospital's medical-insurance identity (operator): from now on its insured payments and its
 * visits' insurance step go to the national platform as this hospital (its org code and the app the province
 * issued it), and to WeChat Pay 医保 and Alipay's medical product with its own codes (PROTOCOLS §3.1, §3.3).
 *
 * Primary course:
 *   1. Read the hospital (404 when not registered).
 *   2. Check that the province's envelope keys are in the hospital's secrets (the operator puts them there,
 *      so they never travel in a request): present, JSON, with the four keys the envelope needs (400 otherwise).
 *   3. Save the identity on the hospital.
 */
import { NotFoundError, ValidationError } from '../../domain/errors';
import {
  INSURANCE_PLATFORM_KEYS,
  PLATFORM_KEY_NAMES,
  type Hospital,
  type HospitalInsurance,
} from '../../domain/hospital';
import type { HospitalSecrets } from '../../ports/hospital-secrets';
import type { HospitalDeps } from './deps';

/** Connects `insurance` to `hospitalId`; returns the hospital as saved. */
export async function connectInsurance(
  deps: HospitalDeps & { readonly hospitalSecrets: HospitalSecrets },
  hospitalId: string,
  insurance: HospitalInsurance,
): Promise<Hospital> {
  const current = await deps.hospitals.get(hospitalId);
  if (!current) throw new NotFoundError('hospital', hospitalId);
  const keys = await deps.hospitalSecrets.get(hospitalId, INSURANCE_PLATFORM_KEYS);
  if (!hasPlatformKeys(keys))
    throw new ValidationError(
      `Put the province's envelope keys for ${hospitalId} in the parameter store first (${INSURANCE_PLATFORM_KEYS}: JSON with ${PLATFORM_KEY_NAMES.join(', ')}).`,
      [{ path: 'hospital', message: `${INSURANCE_PLATFORM_KEYS} missing or incomplete` }],
    );
  const next: Hospital = { ...current.value, insurance, updatedAt: deps.clock.now().toISOString() };
  await deps.hospitals.update(current, next);
  return next;
}

/** True when `text` is JSON holding every envelope key as a non-empty string. */
function hasPlatformKeys(text: string | undefined): boolean {
  try {
    const keys = JSON.parse(text ?? '') as Record<string, unknown>;
    return PLATFORM_KEY_NAMES.every((k) => typeof keys[k] === 'string' && keys[k] !== '');
  } catch {
    return false;
  }
}
