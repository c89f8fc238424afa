/**
 * Apply a verified provider notification about a payment or a refund.
 *
 * Primary course:
 *   1. The adapter has already verified signature, merchant and timestamp (nothing unverified gets here).
 *   2. Find the record the notification names (payment by out_trade_no, refund by out_refund_no). A valid
 *      notification for an order we do not know is recorded as an orphan for reconciliation and
 *      acknowledged; money is never credited on a notification alone.
 *   3. Compare every field both sides know (amount, currency, the order pairing, provider numbers) with the
 *      record, WHATEVER its status: a contradiction is an IntegrityAlertError and changes nothing.
 *   4. payment.succeeded: capture a PENDING (or CLOSED) payment; refund.*: apply a PROCESSING refund's
 *      outcome. An outcome that contradicts a final status (paid vs closed, succeeded vs failed) is an
 *      integrity alert too.
 * Replays and duplicates that agree with the record change nothing: the result is 'already-applied'.
 */
import { assertAgrees, IntegrityAlertError } from '../../domain/errors';
import type { Payment, Refund } from '../../domain/payment';
import type { ProviderEvent } from '../../ports/payment-provider';
import { recordOrphan } from '../shared/orphans';
import { capturePayment } from './capture-payment';
import type { RecordDeps } from './deps';
import { loadPayment } from './records';
import { applyRefundState } from './refund-state';

/** What happened to the notification. */
export type NotificationOutcome =
  | 'applied'
  | 'already-applied'
  | 'orphan'
  | 'ignored'
  /** A merchant's authorisation cancelled (revoke-merchant.ts). */
  | 'revoked'
  | 'already-revoked'
  | 'unknown-merchant'
  /** A complaint queued for reading (disputes/receive-complaint.ts). */
  | 'complaint-queued';

type PaymentEvent = Extract<ProviderEvent, { kind: `payment.${string}` }>;
type RefundEvent = Extract<ProviderEvent, { kind: `refund.${string}` }>;

/** Applies one verified event. */
export async function applyNotification(
  deps: RecordDeps,
  event: ProviderEvent,
): Promise<NotificationOutcome> {
  switch (event.kind) {
    case 'payment.succeeded':
    case 'payment.closed':
    case 'payment.waiting':
      return applyPaymentEvent(deps, event);
    case 'refund.succeeded':
    case 'refund.failed':
    case 'refund.abnormal':
      return applyRefundEvent(deps, event);
    case 'insurance.succeeded':
      return applyInsuredEvent(deps, event);
    default:
      // Credit-visit events are routed to usecases/visits by usecases/notifications.ts.
      return 'ignored';
  }
}

/** The fields of a payment a notification about it must agree with. */
function assertPaymentAgrees(
  payment: Payment,
  reported: {
    amountFen?: number;
    currency?: string;
    providerTradeNo?: string;
    outTradeNo?: string;
    payerId?: string;
    paidAt?: Date;
  },
) {
  assertAgrees(`payment ${payment.paymentId}`, {
    outTradeNo: [payment.outTradeNo, reported.outTradeNo],
    amountFen: [payment.amountFen, reported.amountFen],
    currency: [payment.currency, reported.currency],
    providerTradeNo: [payment.providerTradeNo, reported.providerTradeNo],
    payerId: [payment.payerId, reported.payerId],
    paidAt: [payment.paidAt, reported.paidAt?.toISOString()],
  });
}

async function applyPaymentEvent(deps: RecordDeps, event: PaymentEvent): Promise<NotificationOutcome> {
  const found = await deps.ledger.payments.byOutTradeNo(event.channel, event.outTradeNo);
  if (!found) return recordOrphan(deps, event, event.outTradeNo);
  const payment = found.value;
  if (payment.insurance) return applyCashPartEvent(payment, event);
  assertPaymentAgrees(payment, event);
  if (event.kind !== 'payment.succeeded') {
    // The provider says the trade is unpaid (closed or waiting): a payment medpay holds as paid contradicts it.
    if (payment.status !== 'PENDING' && payment.status !== 'CLOSED')
      throw new IntegrityAlertError(`payment ${payment.paymentId}`, [
        { field: 'status', recorded: payment.status, reported: event.kind },
      ]);
    return 'ignored'; // the sweep closes a pending payment after asking the provider
  }
  const outcome = await capturePayment(deps, found, event);
  return outcome === 'committed' ? 'applied' : 'already-applied';
}

/**
 * The self-pay part of a mixed order is an ordinary JSAPI trade with the same out_trade_no (W5 §2.6 #1): its
 * notification must agree with the self-pay part, and changes nothing: only the mixed order's success
 * (MIX_PAY_SUCCESS) pays the payment (W5 §2.6 #10).
 */
function applyCashPartEvent(payment: Payment, event: PaymentEvent): NotificationOutcome {
  const insurance = payment.insurance;
  assertAgrees(`payment ${payment.paymentId}`, {
    selfPayFen: [insurance?.split.selfPayFen, event.amountFen],
    currency: [payment.currency, event.kind === 'payment.succeeded' ? event.currency : undefined],
    payerId: [payment.payerId, event.kind === 'payment.succeeded' ? event.payerId : undefined],
  });
  return 'ignored';
}

/** A mixed order's success: it must agree with the payment's split and orders, then the payment is captured. */
async function applyInsuredEvent(
  deps: RecordDeps,
  event: Extract<ProviderEvent, { kind: 'insurance.succeeded' }>,
): Promise<NotificationOutcome> {
  const found = await deps.ledger.payments.byOutTradeNo(event.channel, event.outTradeNo);
  if (!found) return recordOrphan(deps, event, event.outTradeNo);
  const payment = found.value;
  if (!payment.insurance)
    throw new IntegrityAlertError(`payment ${payment.paymentId}`, [
      { field: 'insurance', recorded: 'a payment without insurance', reported: event.kind },
    ]);
  assertAgrees(`payment ${payment.paymentId}`, { payerId: [payment.payerId, event.payerId] });
  const outcome = await capturePayment(deps, found, {
    providerTradeNo: event.channelOrderNo,
    amountFen: event.totalFen,
    paidAt: event.paidAt,
    split: event.split,
    cashAdjustments: event.cashAdjustments,
    payOrdId: event.payOrdId,
  });
  return outcome === 'committed' ? 'applied' : 'already-applied';
}

async function applyRefundEvent(deps: RecordDeps, event: RefundEvent): Promise<NotificationOutcome> {
  const found = await deps.ledger.refunds.byOutRefundNo(event.channel, event.outRefundNo);
  if (!found) return recordOrphan(deps, event, event.outRefundNo);
  const refund = found.value;
  const { value: payment } = await loadPayment(deps.ledger, refund.paymentId);
  assertRefundAgrees(refund, payment, event);
  const outcome = { 'refund.succeeded': 'SUCCEEDED', 'refund.failed': 'FAILED' } as const;
  if (event.kind === 'refund.abnormal') {
    // The money could not reach the payer: the refund stays PROCESSING, marked ABNORMAL, until staff
    // re-route it (reroute-refund.ts). One the provider already finished contradicts the record.
    if (refund.status !== 'PROCESSING')
      throw new IntegrityAlertError(`refund ${refund.refundId}`, [
        { field: 'status', recorded: refund.status, reported: 'ABNORMAL' },
      ]);
    const after = await applyRefundState(deps, refund.refundId, {
      status: 'ABNORMAL',
      providerRefundId: event.providerRefundId,
      destination: event.destination,
    });
    return after.abnormal && after.abnormal.since !== refund.abnormal?.since ? 'applied' : 'already-applied';
  }
  const reported = outcome[event.kind];
  if (refund.status === 'PROCESSING') {
    await applyRefundState(deps, refund.refundId, {
      status: reported,
      providerRefundId: event.providerRefundId,
      succeededAt: event.kind === 'refund.succeeded' ? event.at : undefined,
      destination: event.destination,
    });
    return 'applied';
  }
  if (refund.status !== reported)
    throw new IntegrityAlertError(`refund ${refund.refundId}`, [
      { field: 'status', recorded: refund.status, reported },
    ]);
  return 'already-applied';
}

/** A refund notification must name this refund's payment, its amount and the provider's numbers. */
function assertRefundAgrees(refund: Refund, payment: Payment, event: RefundEvent) {
  // An insured payment's wallet trade is its self-pay part only: the cash refund is compared with that part.
  const cash = refund.insurance && payment.insurance;
  assertAgrees(`refund ${refund.refundId}`, {
    outTradeNo: [payment.outTradeNo, event.outTradeNo],
    amountFen: [cash ? refund.insurance?.split.selfPayFen : refund.amountFen, event.amountFen],
    paymentTotalFen: [cash ? payment.insurance?.split.selfPayFen : payment.amountFen, event.paymentTotalFen],
    // (The mixed order's number is kept, not the cash trade's: WeChat's queries do not return it, W5 §2.8 C.)
    providerTradeNo: [cash ? undefined : payment.providerTradeNo, event.providerTradeNo],
    providerRefundId: [refund.providerRefundId, event.providerRefundId],
  });
  // Alipay reports the trade's cumulative refunds: never more than was paid, never less than this refund.
  const total = event.refundedTotalFen;
  if (total !== undefined && (total > payment.amountFen || total < refund.amountFen))
    throw new IntegrityAlertError(`refund ${refund.refundId}`, [
      { field: 'refundedTotalFen', recorded: `${refund.amountFen}..${payment.amountFen}`, reported: total },
    ]);
}
