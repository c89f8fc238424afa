/**
 * Carry a payment-code payment to its outcome (the request while it waits, the follow-up after it, the sweep
 * and the clerk's close).
 *
 * Primary course:
 *   1. PAID is captured (the payer the wallet names is recorded); a refusal closes the payment with the
 *      wallet's reason; any other final unpaid state closes it.
 *   2. Unknown, or the patient still entering a password: query again every `pollMs` (PROTOCOLS §2.2, §2.4).
 *   3. Still unknown at the channel's deadline: reverse (WeChat) or cancel (Alipay), calling again while the
 *      provider asks to (WXC3, A13 retry_flag), then confirm with a last query (WX-MP2; AL-POLL: the cancel
 *      follows the last query at once). Unpaid or given back: CLOSED, REVERSED. Paid after all: captured.
 *   4. Not decided by `until`: the payment stays PENDING for the next step to carry on.
 * No payment is ever captured or closed on anything but the provider's word.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Payment } from '../../domain/payment';
import type { PaymentCodeProgress } from '../../domain/payment-code';
import type { CodePayState, PaymentProvider } from '../../ports/payment-provider';
import { ConcurrentModificationError, ProviderUnavailableError } from '../../domain/errors';
import { providerFor, type PaymentDeps } from './deps';
import { settleWithProviderState } from './provider-state';
import { loadPayment, type Versioned } from './records';
import { transition } from '../shared/records';
import { newEvent } from '../shared/events';

/** How many times a reversal is asked for before the last query decides (WX-MP2: "call reverse again"). */
const REVERSAL_ATTEMPTS = 3;

/** The provider's view of the order, or unknown (PENDING) when it does not answer. */
export async function queryCode(provider: PaymentProvider, outTradeNo: string): Promise<CodePayState> {
  try {
    return await provider.queryOrder(outTradeNo);
  } catch (error) {
    if (error instanceof ProviderUnavailableError) return { status: 'PENDING' };
    throw error;
  }
}

/**
 * Follows the payment from the provider's last word `state` until it is decided or `until` (epoch ms)
 * comes; returns the payment as it then stands. `reverseNow`: the clerk gave up, reverse without waiting.
 * `known`: the payment as the caller just read or wrote it (saves the first read).
 */
export async function followPaymentCode(
  deps: PaymentDeps,
  paymentId: string,
  state: CodePayState,
  until: number,
  options: { readonly reverseNow?: boolean; readonly known?: Versioned<Payment> } = {},
): Promise<Payment> {
  const { reverseNow = false } = options;
  let known = options.known;
  for (;;) {
    const current = known ?? (await loadPayment(deps.ledger, paymentId));
    known = undefined;
    const payment = current.value;
    const progress = payment.paymentCode;
    if (payment.status !== 'PENDING' || !progress) return payment;
    try {
      const { deadline } = progress;
      if (state.refused)
        return await closeCode(deps, current, { deadline, state: 'REFUSED', refusal: state.refused });
      if (state.status === 'PAID') return await settleWithProviderState(deps, current, state);
      if (state.status === 'CLOSED') return await closeCode(deps, current, { deadline, state: 'REFUSED' });
    } catch (error) {
      // A notification (Alipay sends one) applied the same outcome meanwhile: read the payment again.
      if (error instanceof ConcurrentModificationError) continue;
      throw error;
    }
    const now = deps.clock.now().getTime();
    const deadline = reverseNow ? now : Date.parse(progress.deadline);
    if (now >= deadline) return reverseCode(deps, current);
    const wait = Math.min(deps.payments.paymentCode.pollMs, deadline - now);
    if (now + wait > until) return payment;
    await sleep(wait);
    state = await queryCode(providerFor(deps, payment.channel), payment.outTradeNo);
  }
}

/**
 * Reverses or cancels the order, then asks once more. Unpaid or refunded by the reversal: CLOSED, REVERSED;
 * paid after all: captured; still undecided (the wallet would not reverse yet): PENDING, REVERSING, for
 * the sweep to try again.
 */
async function reverseCode(deps: PaymentDeps, current: Versioned<Payment>): Promise<Payment> {
  const payment = current.value;
  const provider = providerFor(deps, payment.channel);
  for (let attempt = 1; attempt <= REVERSAL_ATTEMPTS; attempt++) {
    if ((await provider.reverseOrder(payment.outTradeNo)) === 'done') break;
    if (attempt < REVERSAL_ATTEMPTS) await sleep(deps.payments.paymentCode.pollMs);
  }
  const state = await queryCode(provider, payment.outTradeNo);
  const latest = await loadPayment(deps.ledger, payment.paymentId);
  const progress = latest.value.paymentCode;
  if (latest.value.status !== 'PENDING' || !progress) return latest.value;
  if (state.status === 'PAID') return settleWithProviderState(deps, latest, state);
  if (state.status === 'CLOSED' || state.status === 'NOT_FOUND')
    return closeCode(deps, latest, {
      deadline: progress.deadline,
      state: 'REVERSED',
      reversedAt: deps.clock.now().toISOString(),
    });
  if (progress.state === 'REVERSING') return latest.value;
  const reversing: Payment = { ...latest.value, paymentCode: { ...progress, state: 'REVERSING' } };
  await deps.ledger.commit({
    entities: [deps.ledger.payments.write(reversing, { kind: 'version', version: latest.version })],
  });
  return reversing;
}

/** Closes the payment with how its code ended. */
async function closeCode(
  deps: PaymentDeps,
  current: Versioned<Payment>,
  end: PaymentCodeProgress,
): Promise<Payment> {
  const closed: Payment = {
    ...current.value,
    status: 'CLOSED',
    closedAt: deps.clock.now().toISOString(),
    paymentCode: end,
  };
  await transition(deps.ledger, deps.ledger.payments, current, closed, {
    events: [newEvent(deps, 'PaymentClosed', { paymentId: closed.paymentId })],
  });
  return closed;
}
