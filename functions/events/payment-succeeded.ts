/**
 * EventBridge rule target for payment events with a follow-up: PaymentSucceeded with purpose copy-fee marks
 * the copy request PAID (or refunds); with purpose deposit counts or refunds a late top-up; RefundSucceeded
 * and RefundFailed run an admission's discharge settlement on when the refund was of its top-up.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { providerDeps } from '../../lib/config/providers';
import { jobHandler, type Composed, type JobInput } from '../../lib/http/job';
import {
  onPaymentSucceeded,
  type PaymentSucceededDetail,
} from '../../lib/usecases/copy-requests/payment-succeeded';
import { onTopUpPaid, onTopUpRefunded } from '../../lib/usecases/admissions/payment-events';

type Detail = Partial<PaymentSucceededDetail> & { refundId?: string; hospitalId?: string };

/** Applies one event; a thrown error makes EventBridge retry it. */
export const handler = jobHandler(
  'PaymentEvent',
  async ({
    event,
    deps,
  }: JobInput<
    EventBridgeEvent<'PaymentSucceeded' | 'RefundSucceeded' | 'RefundFailed', Detail>,
    Composed<typeof providerDeps>
  >) => {
    // The relay names the event's hospital (events relayed before hospitals existed are the default's).
    const { hospitalId = deps.hospitalId, ...detail } = event.detail;
    const scoped = await deps.inHospital(deps, hospitalId);
    const paymentId = detail.paymentId ?? '';
    if (event['detail-type'] !== 'PaymentSucceeded') {
      await onTopUpRefunded(scoped, paymentId);
      return { refundId: detail.refundId, paymentId };
    }
    const outcome =
      detail.purpose === 'deposit'
        ? await onTopUpPaid(scoped, paymentId)
        : await onPaymentSucceeded(scoped, { ...detail, paymentId });
    return { paymentId, outcome };
  },
  providerDeps,
);
