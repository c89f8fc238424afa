/** EventBridge rule target: PaymentSucceeded with purpose copy-fee marks the copy request PAID (or refunds). */
import type { EventBridgeEvent } from 'aws-lambda';
import { providerDeps } from '../../lib/config/providers';
import { jobHandler, type Composed, type JobInput } from '../../lib/http/job';
import {
  onPaymentSucceeded,
  type PaymentSucceededDetail,
} from '../../lib/usecases/copy-requests/payment-succeeded';

/** Applies one PaymentSucceeded event; a thrown error makes EventBridge retry it. */
export const handler = jobHandler(
  'PaymentSucceeded',
  async ({
    event,
    deps,
  }: JobInput<
    EventBridgeEvent<'PaymentSucceeded', PaymentSucceededDetail & { hospitalId?: string }>,
    Composed<typeof providerDeps>
  >) => {
    // The relay names the event's hospital (events relayed before hospitals existed are the default's).
    const { hospitalId = deps.hospitalId, ...detail } = event.detail;
    return {
      paymentId: detail.paymentId,
      outcome: await onPaymentSucceeded(await deps.inHospital(deps, hospitalId), detail),
    };
  },
  providerDeps,
);
