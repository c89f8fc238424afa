/**
 * Connect a hospital's fiscal e-receipt account (operator): from now on its settled payments and visits get
 * receipts from its own platform account, reversed on refund (docs/receipts.md).
 *
 * Primary course:
 *   1. Read the hospital (404 when not registered).
 *   2. Check that its signing key is in the hospital's secrets (ERECEIPT_KEY; the operator puts it there, so
 *      it never travels in a request): 400 otherwise.
 *   3. Save the account on the hospital.
 */
import { NotFoundError, ValidationError } from '../../domain/errors';
import { ERECEIPT_KEY, type Hospital, type HospitalReceipts } from '../../domain/hospital';
import type { HospitalSecrets } from '../../ports/hospital-secrets';
import type { HospitalDeps } from './deps';

/** Connects `receipts` to `hospitalId`; returns the hospital as saved. */
export async function connectReceipts(
  deps: HospitalDeps & { readonly hospitalSecrets: HospitalSecrets },
  hospitalId: string,
  receipts: HospitalReceipts,
): Promise<Hospital> {
  const current = await deps.hospitals.get(hospitalId);
  if (!current) throw new NotFoundError('hospital', hospitalId);
  const key = await deps.hospitalSecrets.get(hospitalId, ERECEIPT_KEY);
  if (!key?.trim())
    throw new ValidationError(
      `Put the e-receipt platform's signing key for ${hospitalId} in the parameter store first (${ERECEIPT_KEY}).`,
      [{ path: 'hospital', message: `${ERECEIPT_KEY} missing` }],
    );
  const next: Hospital = { ...current.value, receipts, updatedAt: deps.clock.now().toISOString() };
  await deps.hospitals.update(current, next);
  return next;
}
