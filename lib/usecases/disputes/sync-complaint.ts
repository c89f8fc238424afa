/**
 * Bring a wallet complaint into medpay (ComplaintReceived, after a verified complaint notification; and the
 * hourly re-sync of open disputes, as WeChat asks: "如果在所有通知频率后没有收到微信侧回调,商户应调用《查询
 * 投诉信息》接口"). The notification names the complaint only, so:
 *
 *   1. Ask the wallet for the complaint. WeChat names the merchant complained about (complainted_mchid): the
 *      platform's own merchant is the default hospital, a sub-merchant the hospital that holds it, any other
 *      an integrity alert. An Alipay partner complaint came for the hospital holding its auth_app_id.
 *   2. In that hospital, the order it names is matched to its payment by out_trade_no, and compared: the
 *      provider trade number and the amount must be the payment's, else an integrity alert (nothing stored).
 *      An order medpay never made is kept without a payment, for staff to answer.
 *   3. New: the dispute is OPEN with the wallet's deadlines from the complaint's time (DisputeOpened). Known:
 *      a repeat complaint reopens it with new deadlines (DisputeOpened, DisputesRepeated); the wallet ending it
 *      resolves it when a refund was made, else closes it (DisputeResolved / DisputeClosed); otherwise only
 *      the wallet's state is recorded. Nothing changed: nothing is written.
 */
import {
  DISPUTE_DEADLINES,
  deadlinesFrom,
  isDisputeOpen,
  withMessage,
  type Dispute,
  type DisputeAtProvider,
} from '../../domain/dispute';
import { IntegrityAlertError, NotFoundError, type FieldMismatch } from '../../domain/errors';
import type { Channel } from '../../domain/ledger/accounts';
import type { ProviderComplaint } from '../../ports/complaint-desk';
import type { PaymentDeps } from '../payments/deps';
import type { PerHospitalDeps } from '../shared/hospitals';
import { retryOnConflict } from '../shared/retry';
import { complaintDesk, disputeEvent, type DisputeEventType } from './records';

/** What a complaint notification said (the ComplaintReceived event). */
export interface ComplaintNotice {
  readonly channel: Channel;
  readonly complaintId: string;
  readonly action?: string;
  /** Alipay partner mode: the auth_app_id the message named. */
  readonly subMerchant?: string;
}

/**
 * Finds the complaint's hospital and brings the complaint into it; returns what happened. An integrity alert
 * is logged and counted (IntegrityAlerts) rather than thrown: reading the complaint again cannot change it, so
 * the event is not retried; a person must look. A complaint the wallet does not know is logged and dropped
 * likewise. The wallet's outages are thrown, and the event retried.
 */
export async function syncComplaint<D extends PaymentDeps & PerHospitalDeps>(
  deps: D,
  notice: ComplaintNotice,
): Promise<string> {
  try {
    const { hospitalId, complaint } = await complaintHospital(deps, notice);
    const scoped = hospitalId === deps.hospitalId ? deps : await deps.inHospital(deps, hospitalId);
    return await applyComplaint(scoped, notice, complaint);
  } catch (error) {
    if (error instanceof NotFoundError) {
      // The wallet has no such complaint for this merchant: reading it again will not find it either.
      deps.logger.warn('complaint not found at the wallet', {
        channel: notice.channel,
        complaintId: notice.complaintId,
      });
      return 'not-found';
    }
    if (!(error instanceof IntegrityAlertError)) throw error;
    deps.logger.error('integrity alert', {
      channel: notice.channel,
      complaintId: notice.complaintId,
      entity: error.entity,
      mismatches: error.mismatches,
    });
    deps.metrics.count('IntegrityAlerts', { channel: notice.channel });
    return 'integrity-alert';
  }
}

/** The hospital a complaint belongs to, and the complaint when it had to be read to tell. */
async function complaintHospital(
  deps: PaymentDeps & PerHospitalDeps,
  notice: ComplaintNotice,
): Promise<{ hospitalId: string; complaint?: ProviderComplaint }> {
  if (notice.subMerchant !== undefined) {
    const claim = await deps.hospitals.ofMerchant(notice.channel, notice.subMerchant);
    if (!claim)
      throw new IntegrityAlertError('complaint', [
        { field: 'auth_app_id', recorded: 'a registered hospital', reported: notice.subMerchant },
      ]);
    return { hospitalId: claim.hospitalId };
  }
  const desk = complaintDesk(deps, notice.channel);
  const complaint = await desk.fetch(notice.complaintId);
  const merchant = complaint.merchantId;
  if (merchant === undefined || merchant === desk.merchantId)
    return { hospitalId: deps.hospitalId, complaint };
  const claim = await deps.hospitals.ofMerchant(notice.channel, merchant);
  if (!claim)
    throw new IntegrityAlertError('complaint', [
      { field: 'complainted_mchid', recorded: 'a registered hospital', reported: merchant },
    ]);
  return { hospitalId: claim.hospitalId, complaint };
}

/** Brings the complaint (read again unless given) into the hospital `deps` belong to. */
async function applyComplaint(
  deps: PaymentDeps,
  notice: ComplaintNotice,
  known?: ProviderComplaint,
): Promise<string> {
  const desk = complaintDesk(deps, notice.channel);
  const complaint = known ?? (await desk.fetch(notice.complaintId));
  if (
    complaint.merchantId !== undefined &&
    desk.merchantId !== undefined &&
    complaint.merchantId !== desk.merchantId
  )
    throw new IntegrityAlertError('complaint', [
      { field: 'complainted_mchid', recorded: desk.merchantId, reported: complaint.merchantId },
    ]);
  const payment = await matchedPayment(deps, notice.channel, complaint);
  const outTradeNo = payment?.outTradeNo ?? complaint.orders[0]?.outTradeNo;
  return retryOnConflict(async () => {
    const now = deps.clock.now();
    const current = await deps.ledger.disputes.byComplaint(notice.channel, complaint.complaintId);
    // The hourly re-read names no action: the last one notified is kept.
    const lastAction = notice.action ?? current?.value.provider?.lastAction;
    const snapshot: DisputeAtProvider = {
      complaintId: complaint.complaintId,
      ...(complaint.merchantId ? { merchantId: complaint.merchantId } : {}),
      state: complaint.state,
      complaintTimes: complaint.complaintTimes,
      ...(complaint.problemType ? { problemType: complaint.problemType } : {}),
      ...(complaint.requestedRefundFen ? { requestedRefundFen: complaint.requestedRefundFen } : {}),
      ...(lastAction ? { lastAction } : {}),
      syncedAt: now.toISOString(),
    };
    if (!current) {
      const opened = complaint.openedAt.toISOString();
      const dispute: Dispute = {
        disputeId: deps.ids.next('dispute'),
        source: notice.channel,
        status: complaint.ended ? 'CLOSED' : 'OPEN',
        ...(payment ? { paymentId: payment.paymentId, patientId: payment.patientId } : {}),
        ...(outTradeNo ? { outTradeNo } : {}),
        description: complaint.description,
        openedAt: opened,
        ...deadlinesFrom(complaint.openedAt, DISPUTE_DEADLINES[notice.channel]),
        ...(complaint.ended ? { closedAt: now.toISOString() } : {}),
        messages: [{ at: opened, from: 'patient', text: complaint.description }],
        refundIds: [],
        provider: snapshot,
        updatedAt: now.toISOString(),
      };
      await deps.ledger.commit({
        entities: [deps.ledger.disputes.write(dispute, { kind: 'absent' })],
        events: [disputeEvent(deps, complaint.ended ? 'DisputeClosed' : 'DisputeOpened', dispute)],
      });
      deps.metrics.count('DisputesOpened', { source: notice.channel });
      return `dispute ${dispute.disputeId} ${dispute.status}`;
    }
    const before = current.value;
    const { next, event } = moved(before, complaint, snapshot, now);
    if (!event && sameAtProvider(before.provider, snapshot)) return `dispute ${before.disputeId} unchanged`;
    const write =
      next.status === before.status
        ? deps.ledger.disputes.write(next, { kind: 'version', version: current.version })
        : deps.ledger.disputes.transition(current, next);
    await deps.ledger.commit({ entities: [write], events: event ? [disputeEvent(deps, event, next)] : [] });
    if (event === 'DisputeOpened') deps.metrics.count('DisputesRepeated', { source: notice.channel });
    return `dispute ${next.disputeId} ${next.status}`;
  });
}

/** A known dispute after the wallet's latest word, and the event that move publishes (if any). */
function moved(
  d: Dispute,
  complaint: ProviderComplaint,
  provider: DisputeAtProvider,
  now: Date,
): { next: Dispute; event?: DisputeEventType } {
  const at = now.toISOString();
  const base = { ...d, provider, updatedAt: at };
  // A repeat complaint: WeChat counts it (user_complaint_times); Alipay hands the complaint back to the
  // merchant (its state moves back to MERCHANT_PROCESSING after the merchant's feedback).
  const repeated =
    complaint.complaintTimes > (d.provider?.complaintTimes ?? 1) ||
    (complaint.awaitingMerchant && d.provider?.state !== complaint.state);
  if (repeated && !complaint.ended && !isDisputeOpen(d)) {
    const reopened: Dispute = {
      ...base,
      status: 'OPEN',
      ...deadlinesFrom(now, DISPUTE_DEADLINES[d.source]),
    };
    return {
      next: withMessage(reopened, { at, from: 'patient', text: complaint.description }),
      event: 'DisputeOpened',
    };
  }
  if (complaint.ended && isDisputeOpen(d)) {
    const resolved = d.refundIds.length > 0;
    return {
      next: {
        ...base,
        status: resolved ? 'RESOLVED' : 'CLOSED',
        ...(resolved ? { resolvedAt: at } : { closedAt: at }),
      },
      event: resolved ? 'DisputeResolved' : 'DisputeClosed',
    };
  }
  return { next: base };
}

/** True when the wallet reports nothing new (its state, the repeat count and the last action). */
const sameAtProvider = (a: DisputeAtProvider | undefined, b: DisputeAtProvider) =>
  a !== undefined &&
  a.state === b.state &&
  a.complaintTimes === b.complaintTimes &&
  a.lastAction === b.lastAction;

/**
 * The payment of the first order the complaint names that medpay made, compared with it: the provider trade
 * number and the amount must be the payment's (or, for an insured payment, its self-pay cash). Undefined when
 * medpay made none of them.
 */
async function matchedPayment(deps: PaymentDeps, channel: Channel, complaint: ProviderComplaint) {
  for (const order of complaint.orders) {
    const found = await deps.ledger.payments.byOutTradeNo(channel, order.outTradeNo);
    if (!found) continue;
    const payment = found.value;
    const mismatches: FieldMismatch[] = [];
    if (order.providerTradeNo && payment.providerTradeNo && order.providerTradeNo !== payment.providerTradeNo)
      mismatches.push({
        field: 'trade_no',
        recorded: payment.providerTradeNo,
        reported: order.providerTradeNo,
      });
    // An insured payment's wallet order may carry only the cash the wallet took (its self-pay part).
    const walletFen = [payment.amountFen, ...(payment.insurance ? [payment.insurance.split.selfPayFen] : [])];
    if (!walletFen.includes(order.amountFen))
      mismatches.push({ field: 'amount', recorded: payment.amountFen, reported: order.amountFen });
    if (mismatches.length > 0) throw new IntegrityAlertError('complaint', mismatches);
    return payment;
  }
  return undefined;
}
