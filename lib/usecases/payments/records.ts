/** Loading payments and refunds as the use cases need them, and the trade-number rule. */
import { IntegrityAlertError } from '../../domain/errors';
import type { Payment } from '../../domain/payment';
import type { LedgerStore } from '../../ports/ledger-store';
import { loadOwned } from '../shared/records';

export type { Versioned } from '../shared/records';

/** Throws an integrity alert when the trade number already paid another payment. */
export async function assertTradeNoFree(ledger: LedgerStore, payment: Payment, providerTradeNo: string) {
  const owner = await ledger.payments.tradeNoOwner(payment.channel, providerTradeNo);
  if (owner !== undefined && owner !== payment.paymentId)
    throw new IntegrityAlertError(`payment ${payment.paymentId}`, [
      { field: 'providerTradeNo', recorded: `${providerTradeNo} (paid ${owner})`, reported: providerTradeNo },
    ]);
}

/** Loads a payment or throws NOT_FOUND. A patient asking for someone else's payment also gets NOT_FOUND. */
export const loadPayment = (ledger: LedgerStore, paymentId: string, patientScope?: string) =>
  loadOwned(ledger.payments, 'Payment', paymentId, patientScope);

/** Loads a refund or throws NOT_FOUND (also for another patient's refund). */
export const loadRefund = (ledger: LedgerStore, refundId: string, patientScope?: string) =>
  loadOwned(ledger.refunds, 'Refund', refundId, patientScope);
