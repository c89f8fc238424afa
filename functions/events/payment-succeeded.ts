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
    EventBridgeEvent<'PaymentSucceeded', PaymentSucceededDetail>,
    Composed<typeof providerDeps>
  >) => ({
    paymentId: event.detail.paymentId,
    outcome: await onPaymentSucceeded(deps, event.detail),
  }),
  providerDeps,
);
