/** EventBridge rule target: PaymentSucceeded with purpose copy-fee marks the copy request PAID (or refunds). */
import type { EventBridgeEvent } from 'aws-lambda';
import { providerDeps } from '../../lib/config/providers';
import {
  onPaymentSucceeded,
  type PaymentSucceededDetail,
} from '../../lib/usecases/copy-requests/payment-succeeded';

/** Applies one PaymentSucceeded event; a thrown error makes EventBridge retry it. */
export const handler = async (event: EventBridgeEvent<'PaymentSucceeded', PaymentSucceededDetail>) => {
  const deps = await providerDeps();
  const outcome = await onPaymentSucceeded(deps, event.detail);
  deps.logger.info('PaymentSucceeded applied', { paymentId: event.detail.paymentId, outcome });
  return { outcome };
};
