/** How payments and refunds are stored through the LedgerStore: entity types, lookups and index keys. */
import { businessDayOf } from '../../domain/business-day';
import { IntegrityAlertError } from '../../domain/errors';
import { entityWrite, findVersioned, loadOwned, type EntityKind } from '../shared/records';

import type { Versioned } from '../shared/records';

export type { Versioned };
import { assertPaymentTransition, type Payment, type Refund } from '../../domain/payment';
import type { EntityExpectation, EntityWrite, LedgerStore } from '../../ports/ledger-store';

/** byTime partitions scanned by the sweeps. */
export const PENDING_PAYMENTS = 'PAYMENT#PENDING';
export const PROCESSING_REFUNDS = 'REFUND#PROCESSING';

/** byRef partitions: a payment by its provider order number, a refund by its provider refund number. */
const outTradeRef = (channel: string, outTradeNo: string) => `OUTTRADE#${channel}#${outTradeNo}`;
const outRefundRef = (channel: string, outRefundNo: string) => `OUTREFUND#${channel}#${outRefundNo}`;

/** How payments are stored: by provider order number, and by status and creation time (the sweep). */
export const PAYMENT: EntityKind<Payment> = {
  type: 'payment',
  id: (p) => p.paymentId,
  indexes: (p) => ({
    byRef: { partition: outTradeRef(p.channel, p.outTradeNo), sort: 'payment' },
    byTime: { partition: `PAYMENT#${p.status}`, sort: `${p.createdAt}#${p.paymentId}` },
  }),
  assertTransition: assertPaymentTransition,
};

/** The EntityWrite of a payment's new state. */
export const paymentWrite = (payment: Payment, expect: EntityExpectation) =>
  entityWrite(PAYMENT, payment, expect);

/** GSI2 partition listing every payment of one HIS reference (for bulk refunds). */
export const referencePartition = (referenceId: string) => `PAYREF#${referenceId}`;

/** GSI1 partition listing every payment created on one business day (Asia/Shanghai), in time order. */
export const paymentDayPartition = (day: string) => `PAYDAY#${day}`;

/**
 * The index entry that lists a payment under its HIS reference (byTime) and its business day (byRef, in
 * creation order): search and bulk refunds read these; written once, with the payment.
 */
export function paymentReferenceWrite(payment: Payment): EntityWrite {
  return {
    type: 'payref',
    id: payment.paymentId,
    state: { paymentId: payment.paymentId, referenceId: payment.referenceId },
    expect: { kind: 'absent' },
    indexes: {
      byTime: { partition: referencePartition(payment.referenceId), sort: payment.paymentId },
      byRef: {
        partition: paymentDayPartition(businessDayOf(new Date(payment.createdAt))),
        sort: `${payment.createdAt}#${payment.paymentId}`,
      },
    },
  };
}

/**
 * The claim a captured payment makes on its provider trade number (transaction_id / trade_no): one trade
 * pays one payment, so a notification that names another payment's trade number can never capture a second.
 */
export function providerTradeClaim(payment: Payment, providerTradeNo: string): EntityWrite {
  return {
    type: 'tradeno',
    id: `${payment.channel}-${providerTradeNo}`,
    state: { paymentId: payment.paymentId },
    expect: { kind: 'absent' },
  };
}

/** Throws an integrity alert when the trade number already paid another payment. */
export async function assertTradeNoFree(ledger: LedgerStore, payment: Payment, providerTradeNo: string) {
  const claim = await ledger.getEntity('tradeno', `${payment.channel}-${providerTradeNo}`);
  const owner = (claim?.state as { paymentId?: string } | undefined)?.paymentId;
  if (owner !== undefined && owner !== payment.paymentId)
    throw new IntegrityAlertError(`payment ${payment.paymentId}`, [
      { field: 'providerTradeNo', recorded: `${providerTradeNo} (paid ${owner})`, reported: providerTradeNo },
    ]);
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
export const REFUND: EntityKind<Refund> = {
  type: 'refund',
  id: (r) => r.refundId,
  indexes: (r) => ({
    byRef: { partition: outRefundRef(r.channel, r.outRefundNo), sort: 'refund' },
    byTime: { partition: `REFUND#${r.status}`, sort: `${r.createdAt}#${r.refundId}` },
  }),
};

/** The EntityWrite of a refund's new state. */
export const refundWrite = (refund: Refund, expect: EntityExpectation) => entityWrite(REFUND, refund, expect);

/** Loads a payment or throws NOT_FOUND. A patient asking for someone else's payment also gets NOT_FOUND. */
export const loadPayment = (ledger: LedgerStore, paymentId: string, patientScope?: string) =>
  loadOwned<Payment>(ledger, 'payment', 'Payment', paymentId, patientScope);

/** Loads a refund or throws NOT_FOUND (also for another patient's refund). */
export const loadRefund = (ledger: LedgerStore, refundId: string, patientScope?: string) =>
  loadOwned<Refund>(ledger, 'refund', 'Refund', refundId, patientScope);

/** Finds a payment by its provider order number. */
export const findPaymentByOutTradeNo = (ledger: LedgerStore, channel: string, outTradeNo: string) =>
  findVersioned<Payment>(ledger, outTradeRef(channel, outTradeNo));

/** Finds a refund by its provider refund number. */
export const findRefundByOutRefundNo = (ledger: LedgerStore, channel: string, outRefundNo: string) =>
  findVersioned<Refund>(ledger, outRefundRef(channel, outRefundNo));
