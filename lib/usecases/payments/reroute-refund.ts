/**
 * Re-route an ABNORMAL refund (POST /refunds/{refundId}/reroute, staff or finance): WeChat could not put the
 * money on the card that paid (cancelled or frozen), and it waits until the merchant says where it goes
 * (apply-abnormal-refund): to a debit card of the patient's (USER_BANK_CARD, one of the 15 banks), or to the
 * hospital's own account (MERCHANT_BANK_CARD), which finance then pays out.
 *
 * Primary course:
 *   1. The refund must be PROCESSING and ABNORMAL, not yet re-routed (409 otherwise); WeChat only (Alipay has
 *      no ABNORMAL refund: 409). USER_BANK_CARD needs the bank, the card number and the holder's name (400).
 *   2. WeChat is asked, with the card number and the name encrypted for it; they are never stored or logged.
 *   3. The refund records who re-routed it, when, how, and the card's last four digits (the audit trail),
 *      with a REROUTED step and its new promise; WeChat's answer is applied (it usually succeeds shortly after,
 *      by REFUND.SUCCESS or the sweep).
 */
import { InvalidStateError, ValidationError } from '../../domain/errors';
import {
  DEFAULT_REFUND_POLICY,
  withStep,
  type RerouteBank,
  type RerouteType,
} from '../../domain/refund-progress';
import type { Refund } from '../../domain/payment';
import { providerFor, type PaymentDeps } from './deps';
import { applyRefundState, progressEvent } from './refund-state';
import { loadRefund } from './records';

/** What staff send. */
export interface RerouteInput {
  readonly type: RerouteType;
  readonly bankType?: RerouteBank;
  readonly bankAccount?: string;
  readonly realName?: string;
  readonly requestedBy: string;
}

/** Sends an ABNORMAL refund on and records it; returns the refund as it stands after WeChat's answer. */
export async function rerouteRefund(
  deps: PaymentDeps,
  refundId: string,
  input: RerouteInput,
): Promise<Refund> {
  const current = await loadRefund(deps.ledger, refundId);
  const refund = current.value;
  if (refund.status !== 'PROCESSING' || !refund.abnormal || refund.abnormal.reroute)
    throw new InvalidStateError(
      `Refund ${refundId} is not waiting to be re-routed (only an ABNORMAL refund, once).`,
      { refundId, status: refund.status },
    );
  const provider = providerFor(deps, refund.channel);
  if (!provider.rerouteRefund || !refund.providerRefundId)
    throw new InvalidStateError(`${refund.channel} has no re-routing of a refund.`, { refundId });
  if (input.type === 'USER_BANK_CARD' && (!input.bankType || !input.bankAccount || !input.realName))
    throw new ValidationError('A re-route to the patient’s card needs bankType, bankAccount and realName.', [
      { path: 'body', message: 'bankType, bankAccount and realName are required for USER_BANK_CARD' },
    ]);
  const state = await provider.rerouteRefund({
    providerRefundId: refund.providerRefundId,
    outRefundNo: refund.outRefundNo,
    type: input.type,
    ...(input.type === 'USER_BANK_CARD'
      ? { bankType: input.bankType, bankAccount: input.bankAccount, realName: input.realName }
      : {}),
  });
  const at = deps.clock.now().toISOString();
  const step = { step: 'REROUTED' as const, at, by: input.requestedBy, note: input.type };
  const next = withStep(
    refund,
    step,
    {
      ...(state.destination ? { destination: state.destination } : {}),
      abnormal: {
        ...refund.abnormal,
        reroute: {
          type: input.type,
          by: input.requestedBy,
          at,
          ...(input.type === 'USER_BANK_CARD' && input.bankType ? { bankType: input.bankType } : {}),
          ...(input.type === 'USER_BANK_CARD' && input.bankAccount
            ? { accountTail: input.bankAccount.slice(-4) }
            : {}),
        },
      },
    },
    deps.refunds ?? DEFAULT_REFUND_POLICY,
  );
  await deps.ledger.commit({
    entities: [deps.ledger.refunds.transition(current, next)],
    events: [progressEvent(deps, next, step)],
  });
  deps.metrics.count('RefundsRerouted', { channel: refund.channel });
  return state.status === 'SUCCEEDED' || state.status === 'FAILED'
    ? applyRefundState(deps, refundId, state)
    : next;
}
