/** How payments and refunds are stored through the LedgerStore: entity types, lookups and index keys. */
import { NotFoundError } from '../../domain/errors';
import type { Payment, Refund } from '../../domain/payment';
import type { EntityExpectation, EntityWrite, LedgerStore } from '../../ports/ledger-store';

/** A payment with the stored version it was read at. */
export type Versioned<T> = { readonly value: T; readonly version: number };

/** byTime partitions scanned by the sweeps. */
export const PENDING_PAYMENTS = 'PAYMENT#PENDING';
export const PROCESSING_REFUNDS = 'REFUND#PROCESSING';

/** The EntityWrite of a payment's new state. */
export function paymentWrite(payment: Payment, expect: EntityExpectation): EntityWrite {
  return {
    type: 'payment',
    id: payment.paymentId,
    state: payment as unknown as Record<string, unknown>,
    expect,
    indexes: {
      byRef: { partition: `OUTTRADE#${payment.channel}#${payment.outTradeNo}`, sort: 'payment' },
      byTime: { partition: `PAYMENT#${payment.status}`, sort: `${payment.createdAt}#${payment.paymentId}` },
    },
  };
}

/** GSI2 partition listing every payment of one HIS reference (for bulk refunds). */
export const referencePartition = (referenceId: string) => `PAYREF#${referenceId}`;

/** The index entry that lists a payment under its HIS reference; written once, with the payment. */
export function paymentReferenceWrite(payment: Payment): EntityWrite {
  return {
    type: 'payref',
    id: payment.paymentId,
    state: { paymentId: payment.paymentId, referenceId: payment.referenceId },
    expect: { kind: 'absent' },
    indexes: { byTime: { partition: referencePartition(payment.referenceId), sort: payment.paymentId } },
  };
}

/** Every payment made under an HIS reference. */
export async function paymentsOfReference(
  ledger: LedgerStore,
  referenceId: string,
): Promise<Versioned<Payment>[]> {
  const refs = await ledger.listByTime(referencePartition(referenceId), '~', 500);
  return Promise.all(refs.map((r) => loadPayment(ledger, (r.state as { paymentId: string }).paymentId)));
}

/** The EntityWrite of a refund's new state. */
export function refundWrite(refund: Refund, expect: EntityExpectation): EntityWrite {
  return {
    type: 'refund',
    id: refund.refundId,
    state: refund as unknown as Record<string, unknown>,
    expect,
    indexes: {
      byRef: { partition: `OUTREFUND#${refund.channel}#${refund.outRefundNo}`, sort: 'refund' },
      byTime: { partition: `REFUND#${refund.status}`, sort: `${refund.createdAt}#${refund.refundId}` },
    },
  };
}

/** Loads a payment or throws NOT_FOUND. A patient asking for someone else's payment also gets NOT_FOUND. */
export async function loadPayment(
  ledger: LedgerStore,
  paymentId: string,
  patientScope?: string,
): Promise<Versioned<Payment>> {
  const stored = await ledger.getEntity('payment', paymentId);
  const payment = stored?.state as Payment | undefined;
  if (!stored || !payment || (patientScope !== undefined && payment.patientId !== patientScope))
    throw new NotFoundError('Payment', paymentId);
  return { value: payment, version: stored.version };
}

/** Loads a refund or throws NOT_FOUND (also for another patient's refund). */
export async function loadRefund(
  ledger: LedgerStore,
  refundId: string,
  patientScope?: string,
): Promise<Versioned<Refund>> {
  const stored = await ledger.getEntity('refund', refundId);
  const refund = stored?.state as Refund | undefined;
  if (!stored || !refund || (patientScope !== undefined && refund.patientId !== patientScope))
    throw new NotFoundError('Refund', refundId);
  return { value: refund, version: stored.version };
}

/** Finds a payment by its provider order number. */
export async function findPaymentByOutTradeNo(
  ledger: LedgerStore,
  channel: string,
  outTradeNo: string,
): Promise<Versioned<Payment> | undefined> {
  const stored = await ledger.findByRef(`OUTTRADE#${channel}#${outTradeNo}`);
  return stored ? { value: stored.state as unknown as Payment, version: stored.version } : undefined;
}

/** Finds a refund by its provider refund number. */
export async function findRefundByOutRefundNo(
  ledger: LedgerStore,
  channel: string,
  outRefundNo: string,
): Promise<Versioned<Refund> | undefined> {
  const stored = await ledger.findByRef(`OUTREFUND#${channel}#${outRefundNo}`);
  return stored ? { value: stored.state as unknown as Refund, version: stored.version } : undefined;
}
