/** The JSON shapes of payments, refunds and visits in responses (API.md). */
import { nextStepOf, stepsOf } from '../domain/refund-progress';
import type { Payment, PaymentInsurance, Refund } from '../domain/payment';
import type { CopyRequest } from '../domain/copy-request';
import { nextDeadline, type Dispute } from '../domain/dispute';
import type { PaymentReceipt } from '../domain/receipt';
import type { Reconciliation } from '../domain/finance';
import { availableCreditFen, tabFen, type Visit } from '../domain/visit';
import type { LedgerStore } from '../ports/ledger-store';

/** A refund as the API shows it. */
export function refundView(r: Refund) {
  return {
    refundId: r.refundId,
    paymentId: r.paymentId,
    amountFen: r.amountFen,
    status: r.status,
    outRefundNo: r.outRefundNo,
    reason: r.reason,
    createdAt: r.createdAt,
    ...(r.succeededAt ? { succeededAt: r.succeededAt } : {}),
    ...(r.payerId ? { payerId: r.payerId } : {}),
    progress: refundProgressView(r),
    ...(r.insurance
      ? {
          insurance: {
            insuredFen: r.insurance.split.fundFen,
            personalAccountFen: r.insurance.split.personalAccountFen,
            selfPayFen: r.insurance.split.selfPayFen,
            platform: r.insurance.platform,
            cash: r.insurance.cash,
            walletNotified: r.insurance.walletNotified,
          },
        }
      : {}),
  };
}

/** A refund's progress as the patient sees it (domain/refund-progress.ts). */
function refundProgressView(r: Refund) {
  const reroute = r.abnormal?.reroute;
  const state =
    r.status !== 'PROCESSING' ? r.status : reroute ? 'REROUTED' : r.abnormal ? 'ABNORMAL' : 'PROCESSING';
  return {
    state,
    steps: stepsOf(r),
    ...(r.destination ? { destination: r.destination } : {}),
    ...(r.status === 'PROCESSING' && r.expectedBy ? { expectedBy: r.expectedBy } : {}),
    ...nextStepOf({ ...r, expectedBy: r.status === 'PROCESSING' ? r.expectedBy : undefined }),
    ...(reroute ? { reroute } : {}),
  };
}

/** A payment as the API shows it, with its refunds. */
export async function paymentView(p: Payment, ledger: LedgerStore) {
  const refunds = await Promise.all(p.refundIds.map((id) => ledger.refunds.get(id)));
  return {
    paymentId: p.paymentId,
    status: p.status,
    channel: p.channel,
    purpose: p.purpose,
    referenceId: p.referenceId,
    amountFen: p.amountFen,
    outTradeNo: p.outTradeNo,
    createdAt: p.createdAt,
    expiresAt: p.expiresAt,
    ...(p.paidAt ? { paidAt: p.paidAt } : {}),
    refundedFen: p.refundedFen,
    refunds: refunds.flatMap((r) => (r ? [refundView(r.value)] : [])),
    ...(p.insurance ? { insurance: insuranceView(p.insurance) } : {}),
    ...takenView(p),
    ...(p.receipt ? { receipt: receiptView(p.receipt) } : {}),
  };
}

/** How a payment was taken and by whom: its mode, the payer, the counter and a payment code's progress. */
export function takenView(p: Payment) {
  return {
    ...(p.mode ? { mode: p.mode } : {}),
    ...(p.payerId ? { payerId: p.payerId } : {}),
    ...(p.counter ? { counter: p.counter } : {}),
    ...(p.paymentCode ? { paymentCode: p.paymentCode } : {}),
  };
}

/** An insured payment's parts as the API shows them (never its payToken). */
export function insuranceView(i: PaymentInsurance) {
  return {
    mixPayType: i.mixPayType,
    insuredFen: i.split.fundFen,
    personalAccountFen: i.split.personalAccountFen,
    selfPayFen: i.split.selfPayFen,
    status: i.status,
    selfPayStatus: i.selfPayStatus,
    ...(i.payOrdId && i.mixPayType !== 'CASH_ONLY' ? { payOrdId: i.payOrdId } : {}),
    ...(i.channelOrderNo ? { channelOrderNo: i.channelOrderNo } : {}),
  };
}

/** A visit as the API shows it: tab, credit left, charges, insurance hold and settlement. */
export function visitView(v: Visit) {
  const tab = tabFen(v.charges);
  return {
    visitId: v.visitId,
    patientId: v.patientId,
    channel: v.channel,
    status: v.status,
    insured: v.insured,
    creditLimitFen: v.creditLimitFen,
    tabFen: tab,
    availableCreditFen: availableCreditFen(v.creditLimitFen, tab),
    outOrderNo: v.outOrderNo,
    createdAt: v.createdAt,
    authoriseBy: v.authoriseBy,
    charges: v.charges.map(({ chargeId, category, description, amountFen, voided, listing }) => ({
      chargeId,
      category,
      description,
      amountFen,
      voided,
      ...(listing ? { listing } : {}),
    })),
    // The platform's payToken stays inside medpay.
    insurance: v.insurance
      ? {
          preauthId: v.insurance.preauthId,
          insuredFen: v.insurance.insuredFen,
          personalAccountFen: v.insurance.personalAccountFen,
          selfPayFen: v.insurance.selfPayFen,
          expiresAt: v.insurance.expiresAt,
          status: v.insurance.status,
          tabVersion: v.insurance.tabVersion,
          medOrgOrd: v.insurance.medOrgOrd,
        }
      : null,
    settlement: v.settlement ? settlementView(v) : null,
    ...(v.receipt ? { receipt: receiptView(v.receipt) } : {}),
  };
}

/** A copy request as the API shows it, with its payment's state. */
export async function copyRequestView(r: CopyRequest, ledger: LedgerStore) {
  const payment = r.paymentId ? (await ledger.payments.get(r.paymentId))?.value : undefined;
  return {
    copyRequestId: r.copyRequestId,
    patientId: r.patientId,
    admissionId: r.admissionId,
    status: r.status,
    items: [...r.items],
    copies: r.copies,
    delivery: r.delivery,
    submittedAt: r.submittedAt,
    fee: r.fee ?? null,
    payBy: r.payBy ?? null,
    payment: payment
      ? {
          paymentId: payment.paymentId,
          status: payment.status,
          channel: payment.channel,
          amountFen: payment.amountFen,
          ...(payment.paidAt ? { paidAt: payment.paidAt } : {}),
        }
      : null,
    shipment: r.shipment ?? null,
    ...(r.deliveredAt ? { deliveredAt: r.deliveredAt } : {}),
    ...(r.cancelledAt ? { cancelledAt: r.cancelledAt } : {}),
    ...(r.refundId ? { refundId: r.refundId } : {}),
  };
}

/** A reconciliation's summary as the API shows it (the fees posted so far stay internal). */
export function reconciliationSummary(s: Reconciliation['summary']) {
  const { matched, missingInLedger, missingAtProvider, amountMismatch, timing, feesFen } = s;
  return { matched, missingInLedger, missingAtProvider, amountMismatch, timing, feesFen };
}

/** The API's view of a settlement. */
export function settlementView(visit: Visit) {
  const s = visit.settlement;
  return {
    visitId: visit.visitId,
    status: visit.status,
    insuredFen: s?.insuredFen ?? 0,
    personalAccountFen: s?.personalAccountFen ?? 0,
    selfPayFen: s?.selfPayFen ?? 0,
    capturedFen: s?.capturedFen ?? 0,
    releasedFen: s?.releasedFen ?? 0,
    asSelfPay: s?.asSelfPay ?? false,
    ...(s?.nextAttemptAt && visit.status !== 'SETTLED' ? { nextAttemptAt: s.nextAttemptAt } : {}),
    ...(s?.lastError ? { lastError: s.lastError } : {}),
  };
}

/** A dispute as the API shows it, with the deadline that applies now and whether it has passed (`now`). */
export function disputeView(d: Dispute, now: Date) {
  const due = nextDeadline(d);
  return {
    disputeId: d.disputeId,
    source: d.source,
    status: d.status,
    ...(d.paymentId ? { paymentId: d.paymentId } : {}),
    ...(d.patientId ? { patientId: d.patientId } : {}),
    ...(d.outTradeNo ? { outTradeNo: d.outTradeNo } : {}),
    description: d.description,
    openedAt: d.openedAt,
    deadlines: {
      replyBy: d.replyBy,
      resolveBy: d.resolveBy,
      ...(due ? { next: due, overdue: due < now.toISOString() } : {}),
    },
    ...(d.repliedAt ? { repliedAt: d.repliedAt } : {}),
    ...(d.resolvedAt ? { resolvedAt: d.resolvedAt } : {}),
    ...(d.closedAt ? { closedAt: d.closedAt } : {}),
    messages: d.messages.map((m) => ({ ...m })),
    refundIds: [...d.refundIds],
    ...(d.resolution ? { resolution: { ...d.resolution } } : {}),
    ...(d.provider
      ? {
          provider: {
            complaintId: d.provider.complaintId,
            state: d.provider.state,
            complaintTimes: d.provider.complaintTimes,
            ...(d.provider.problemType ? { problemType: d.provider.problemType } : {}),
            ...(d.provider.requestedRefundFen ? { requestedRefundFen: d.provider.requestedRefundFen } : {}),
            ...(d.provider.lastAction ? { lastAction: d.provider.lastAction } : {}),
            syncedAt: d.provider.syncedAt,
          },
        }
      : {}),
    updatedAt: d.updatedAt,
  };
}

/** A payment's or a visit's fiscal e-receipts as the API shows them. */
function receiptView(r: PaymentReceipt) {
  return {
    status: r.status,
    bills: r.bills,
    ...(r.lastError ? { lastError: r.lastError } : {}),
    ...(r.nextAttemptAt ? { nextAttemptAt: r.nextAttemptAt } : {}),
  };
}
