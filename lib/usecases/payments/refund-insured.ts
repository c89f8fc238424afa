/**
 * Drive an insured payment's refund through its parts (PROTOCOLS §1.8), each step idempotent so the call, the
 * notifications and the refund sweep can all carry it on.
 *
 * Primary course:
 *   1. The insured part goes back through the platform first (6203, refdType HI, appRefdSn = the refund's
 *      out_refund_no), so a platform refusal stops everything before any cash moves [inferred order]. Refused:
 *      the refund FAILS and the reservation is released. Unavailable or processing: it stays PROCESSING.
 *   2. The self-pay part goes back through the wallet (WeChat's refund; Alipay's 交易自费退款) with the same
 *      out_refund_no; then WeChat is
 *      told the insured part went back (`/v3/med-ins/refunds/notify`, same out_refund_no, after the cash
 *      refund: W1 §7, W7).
 *   3. The refund SUCCEEDS when the platform and the cash refund have (the journal reverses each part).
 */
import { InsuranceRefusedError, insuredPart } from '../../domain/insurance';
import { ProviderUnavailableError } from '../../domain/errors';
import { fen } from '../../domain/money';
import type { Payment, Refund, RefundInsurance } from '../../domain/payment';
import type { PlatformRefundState } from '../../ports/insurance-gateway';
import type { RefundState } from '../../ports/payment-provider';
import { insuredFor, type PaymentDeps } from './deps';
import { loadRefund } from './records';
import { applyRefundState } from './refund-state';

/** Keeps a refund's part progress (the refund stays PROCESSING). */
async function saveParts(deps: PaymentDeps, refundId: string, insurance: RefundInsurance): Promise<Refund> {
  const current = await loadRefund(deps.ledger, refundId);
  const next: Refund = { ...current.value, insurance };
  await deps.ledger.commit({ entities: [deps.ledger.refunds.transition(current, next)] });
  return next;
}

/** Runs a call; an outage leaves the refund as it is (undefined), anything else is thrown. */
async function unlessUnavailable<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderUnavailableError) return undefined;
    throw error;
  }
}

/** Carries an insured refund on from wherever it stands; returns it as it ends this time. */
export async function driveInsuredRefund(
  deps: PaymentDeps,
  payment: Payment,
  refund: Refund,
): Promise<Refund> {
  const paid = payment.insurance;
  const started = refund.insurance;
  if (!paid || !started || refund.status !== 'PROCESSING') return refund;
  let parts: RefundInsurance = started;
  const split = started.split;
  const insured = insuredFor(deps, payment.channel);

  if (parts.platform === 'PENDING' && insuredPart(split) > 0) {
    let state: PlatformRefundState | undefined;
    try {
      state = await unlessUnavailable(() =>
        insured.platform.refund({
          payOrdId: paid.payOrdId ?? '',
          payToken: paid.payToken ?? '',
          refundNo: refund.outRefundNo,
          at: new Date(refund.createdAt),
          split: { ...split, selfPayFen: fen(0) },
          type: 'HI',
        }),
      );
    } catch (error) {
      if (!(error instanceof InsuranceRefusedError)) throw error;
      state = { refundNo: refund.outRefundNo, platformRefundId: '', status: 'FAILED' };
    }
    if (!state || state.status === 'PROCESSING') return refund;
    if (state.status === 'FAILED') {
      await saveParts(deps, refund.refundId, { ...parts, platform: 'FAILED' });
      return applyRefundState(deps, refund.refundId, { status: 'FAILED' });
    }
    parts = { ...parts, platform: 'SUCCEEDED', platformRefundId: state.platformRefundId };
    refund = await saveParts(deps, refund.refundId, parts);
  }

  let cash: RefundState | undefined = parts.cash === 'NONE' ? { status: 'SUCCEEDED' } : undefined;
  if (parts.cash === 'PENDING') {
    cash = await unlessUnavailable(() =>
      insured.orders.refundCash({
        outTradeNo: payment.outTradeNo,
        outRefundNo: refund.outRefundNo,
        amountFen: split.selfPayFen,
        totalFen: paid.split.selfPayFen,
        reason: refund.reason,
      }),
    );
    if (!cash) return refund;
  }
  if (!parts.walletNotified && paid.channelOrderNo && insuredPart(split) > 0) {
    const told = await unlessUnavailable(async () => {
      await insured.orders.notifyInsuranceRefund({
        channelOrderNo: paid.channelOrderNo ?? '',
        outRefundNo: refund.outRefundNo,
        split,
        at: deps.clock.now(),
      });
      return true;
    });
    if (!told) return refund;
    parts = { ...parts, walletNotified: true };
    refund = await saveParts(deps, refund.refundId, parts);
  }
  if (cash?.status === 'SUCCEEDED') return applyRefundState(deps, refund.refundId, cash);
  // The cash refund is processing (its notification or the sweep finishes it) or failed (manual handling:
  // the insured part is back, so the refund stays PROCESSING and is counted for finance to follow up).
  if (cash?.status === 'FAILED')
    deps.metrics.count('InsuredPaymentsNeedingAttention', { channel: payment.channel });
  return refund;
}
