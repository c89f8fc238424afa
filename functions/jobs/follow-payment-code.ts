/**
 * Invoked asynchronously by POST /payments when a payment code's outcome is still unknown as the request
 * answers: follows the payment to the end (queries to the deadline, then the reversal and a last query).
 */
import { insuredProviderDeps } from '../../lib/config/insured-providers';
import { ValidationError } from '../../lib/domain/errors';
import { isHospitalId } from '../../lib/domain/hospital';
import { jobHandler, type Composed, type JobInput } from '../../lib/http/job';
import { followPaymentCode } from '../../lib/usecases/payments/follow-payment-code';

/** Input: `{ hospitalId, paymentId }`. Returns the payment's status and its code's state. */
export const handler = jobHandler(
  'payment code follow-up',
  async ({
    event,
    deps,
  }: JobInput<{ hospitalId?: unknown; paymentId?: unknown }, Composed<typeof insuredProviderDeps>>) => {
    const { hospitalId, paymentId } = event;
    if (!isHospitalId(hospitalId) || typeof paymentId !== 'string' || paymentId === '')
      throw new ValidationError('The follow-up needs {hospitalId, paymentId}.', [
        { path: 'event', message: 'hospitalId and paymentId required' },
      ]);
    const scoped = await deps.inHospital(deps, hospitalId);
    // No deadline of its own: it follows the payment until the wallet decides or the reversal is done.
    const after = await followPaymentCode(scoped, paymentId, { status: 'PENDING' }, Number.POSITIVE_INFINITY);
    return { paymentId, status: after.status, paymentCode: after.paymentCode?.state };
  },
  insuredProviderDeps,
);
