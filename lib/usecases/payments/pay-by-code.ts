/**
 * Take a payment by the patient's payment code at a window or kiosk (付款码, B scans C).
 *
 * Primary course:
 *   1. The code must have the published format of the payment's wallet (PAYMENT_CODE_INVALID otherwise):
 *      nothing is stored or called for a malformed code.
 *   2. Record the payment PENDING (mode payment-code, the clerk and device, the deadline) with its claim on the
 *      code's digest, in one transaction, before the provider is called ("本地落库后再发起请求", W5). A code
 *      medpay already took for another charge is PAYMENT_CODE_USED; the same charge scanned again (a second
 *      press, a terminal's retry) finds the first payment, and the money is taken once.
 *   3. Pay by code, then follow the answer (follow-payment-code.ts): PAID is captured; a refusal closes the
 *      payment and answers PAYMENT_CODE_REFUSED; unknown or a password being entered is queried every
 *      `pollMs`.
 *   4. Still undecided after `waitMs`: answer with the payment PENDING and start the follow-up, which queries
 *      on to the deadline, then reverses and confirms. The sweep is the follow-up's backstop.
 * The code is never stored or logged: only a SHA-256 digest, to recognise it again.
 */
import { createHash } from 'node:crypto';
import type { Payment } from '../../domain/payment';
import {
  assertPaymentCode,
  PaymentCodeRefusedError,
  PaymentCodeUsedError,
  type Counter,
} from '../../domain/payment-code';
import { ValidationError } from '../../domain/errors';
import type { PaymentCodeFollowUp } from '../../ports/payment-code-follow-up';
import { pendingPayment, type CreatePaymentInput } from './create';
import { followPaymentCode, queryCode } from './follow-payment-code';
import { providerFor, type PaymentDeps } from './deps';
import { idFor, type Versioned } from '../shared/records';
import { retryOnConflict } from '../shared/retry';
import { depositTopUp } from '../admissions/top-up';

/** A payment by code: an ordinary payment's fields, the scanned code and where it was scanned. */
export type PayByCodeInput = Omit<CreatePaymentInput, 'mode' | 'payer' | 'copyFee'> & {
  readonly authCode: string;
  readonly counter: Counter;
};

/** What paying by code needs: the payment ports, the hospital and the follow-up. */
export type PayByCodeDeps = PaymentDeps & {
  readonly hospitalId: string;
  readonly followUp?: PaymentCodeFollowUp;
};

/** The digest a code is recognised by (the code itself is never kept). */
const codeDigest = (channel: string, code: string) =>
  createHash('sha256').update(`${channel}:${code}`).digest('hex');

/** Takes the payment; returns it PAID, PENDING (handed over) or throws for a refused code (the payment CLOSED). */
export async function payByCode(deps: PayByCodeDeps, input: PayByCodeInput): Promise<Payment> {
  const provider = providerFor(deps, input.channel);
  assertPaymentCode(input.channel, input.authCode);
  if (input.purpose === 'copy-fee')
    throw new ValidationError('A copy fee is paid through POST /copy-requests/{id}/payments.', [
      { path: 'body.purpose', message: 'use /copy-requests/{id}/payments' },
    ]);
  const until = deps.clock.now().getTime() + deps.payments.paymentCode.waitMs;
  const digest = codeDigest(input.channel, input.authCode);
  const paymentId = idFor(deps.ids, 'payment', input.requestKey);
  // A top-up writes its admission too: a charge posted meanwhile makes it read the admission again.
  const { recorded, first } = await retryOnConflict(() => recordCodePayment(deps, paymentId, input, digest), {
    attempts: input.purpose === 'deposit' ? 10 : 1,
  });
  const payment = recorded.value;
  if (payment.status !== 'PENDING') return finished(payment);
  // A second attempt asks first, and pays again only if the first attempt never reached the provider.
  const known = first ? undefined : await queryCode(provider, payment.outTradeNo);
  const state =
    known && known.status !== 'NOT_FOUND'
      ? known
      : await provider.payByCode({ ...payment, authCode: input.authCode, counter: input.counter });
  const after = await followPaymentCode(deps, payment.paymentId, state, until, { known: recorded });
  if (after.status === 'PENDING') await deps.followUp?.start(deps.hospitalId, after.paymentId);
  return finished(after);
}

/** The payment as answered: a refused code is an error (the payment stays CLOSED with the reason). */
function finished(payment: Payment): Payment {
  const refusal = payment.paymentCode?.refusal;
  if (payment.paymentCode?.state === 'REFUSED' && refusal)
    throw new PaymentCodeRefusedError(payment.paymentId, refusal);
  return payment;
}

/**
 * Records the payment with its claim on the code. If that fails, the code's claim says why: the same
 * payment (a retried request) or the same charge scanned again is returned as it stands; a code that paid
 * another charge is PAYMENT_CODE_USED.
 */
async function recordCodePayment(
  deps: PayByCodeDeps,
  paymentId: string,
  input: PayByCodeInput,
  digest: string,
): Promise<{ recorded: Versioned<Payment>; first: boolean }> {
  const now = deps.clock.now();
  const topUp = await depositTopUp(deps, paymentId, input);
  const payment: Payment = {
    ...(topUp ? { admission: topUp.admission } : {}),
    // Its order lives as long as a mini-program's (the code itself is decided within the deadline).
    ...pendingPayment(deps, paymentId, { ...input, mode: 'mini-program' }),
    mode: 'payment-code',
    counter: input.counter,
    paymentCode: {
      state: 'PAYING',
      deadline: new Date(now.getTime() + deps.payments.paymentCode.deadlineMs[input.channel]).toISOString(),
    },
  };
  try {
    await deps.ledger.commit({
      entities: [
        deps.ledger.payments.write(payment, { kind: 'absent' }),
        deps.ledger.payments.listing(payment),
        deps.ledger.payments.claimPaymentCode(payment, digest),
        ...(topUp ? [topUp.write] : []),
      ],
    });
    deps.metrics.count('PaymentsCreated', { channel: payment.channel });
    return { recorded: { value: payment, version: 1 }, first: true }; // the store writes version 1 on creation
  } catch (error) {
    const owner = await deps.ledger.payments.paymentCodeOwner(input.channel, digest);
    const stored = owner === undefined ? undefined : await deps.ledger.payments.get(owner);
    const earlier = stored?.value;
    if (!stored || !earlier) throw error;
    const sameCharge =
      earlier.patientId === input.patientId &&
      earlier.amountFen === input.amountFen &&
      earlier.referenceId === input.referenceId;
    if (earlier.paymentId !== paymentId && !sameCharge) throw new PaymentCodeUsedError(earlier.paymentId);
    return { recorded: stored, first: false };
  }
}
