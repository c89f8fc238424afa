/**
 * Create a payment.
 *
 * Primary course:
 *   1. Validate the channel is configured and the payer fits it.
 *   2. Derive the paymentId (and so the out_trade_no) from the request's key: a re-execution after a lapsed
 *      or lost idempotency claim finds the first attempt's payment instead of creating a second one.
 *   3. Persist the payment PENDING first, so a notification can never arrive for an order we do not know.
 *   4. Create the order at the provider with the deterministic out_trade_no and the stored amount,
 *      description and expiry: the provider answers a repeated order with the same one.
 *   5. Return the payment with the client parameters the mini-program needs.
 * If the provider is unreachable the payment stays PENDING with no order; the sweep closes it.
 */
import type { Channel } from '../../domain/ledger/accounts';
import { fen, type Fen } from '../../domain/money';
import { randomBytes } from 'node:crypto';
import { MAX_LINK_MINUTES, outTradeNoFor, type Payment, type PaymentPurpose } from '../../domain/payment';
import { payerIdOf, type OrderMode, type Payer } from '../../ports/payment-provider';
import { InvalidStateError, ValidationError } from '../../domain/errors';
import { outstandingFen } from '../../domain/visit';
import { providerFor, type PaymentDeps } from './deps';
import { settleWithProviderState } from './provider-state';
import { loadPayment } from './records';
import { idFor } from '../shared/records';
import { retryOnConflict } from '../shared/retry';
import { depositTopUp } from '../admissions/top-up';

/** A validated request to create a payment. */
export interface CreatePaymentInput {
  readonly patientId: string;
  readonly channel: Channel;
  readonly purpose: PaymentPurpose;
  readonly referenceId: string;
  readonly amountFen: Fen;
  readonly description: string;
  readonly payer?: Payer;
  readonly mode: OrderMode;
  /** A QR code or a link (modes qr, h5): paid within this many minutes (default and at most 120). */
  readonly expiresInMinutes?: number;
  /** Set by the copy-request use case, the only way to pay a copy fee (its amount is the stored fee). */
  readonly copyFee?: { readonly revenueSplit: Readonly<Record<string, Fen>> };
  /** Set by an admission's discharge settlement: the arrears of that admission (they pay its tab). */
  readonly arrearsOf?: string;
  /** The request's key (hashed caller-scoped Idempotency-Key); without one (internal callers) ids are new. */
  readonly requestKey?: string;
}

/**
 * A payment with purpose `other` whose referenceId is one of the patient's credit visits pays off that
 * visit's failed capture: it must be exactly the outstanding amount, and only while something is owed.
 */
async function visitToPayOff(deps: PaymentDeps, input: CreatePaymentInput): Promise<string | undefined> {
  if (input.purpose !== 'other') return undefined;
  const visit = (await deps.ledger.visits.get(input.referenceId))?.value;
  if (!visit || visit.patientId !== input.patientId) return undefined;
  if (visit.status !== 'PAYMENT_FAILED' && visit.status !== 'OVERDUE')
    throw new InvalidStateError(`Visit ${visit.visitId} is ${visit.status}; nothing is outstanding on it.`, {
      visitId: visit.visitId,
    });
  const owed = outstandingFen(visit);
  if (input.amountFen !== owed)
    throw new ValidationError(`Visit ${visit.visitId} has ${owed} fen outstanding; pay exactly that.`, [
      { path: 'body.amountFen', message: `must be ${owed}` },
    ]);
  return visit.visitId;
}

/** Creates the payment and its provider order. */
export async function createPayment(deps: PaymentDeps, input: CreatePaymentInput) {
  const provider = providerFor(deps, input.channel);
  if ((input.purpose === 'copy-fee') !== (input.copyFee !== undefined))
    throw new ValidationError(
      'A copy fee is paid through POST /copy-requests/{id}/payments, where the amount is the fee computed at completion.',
      [{ path: 'body.purpose', message: 'use /copy-requests/{id}/payments' }],
    );
  const paymentId = idFor(deps.ids, 'payment', input.requestKey);
  const payment = await recordPayment(deps, paymentId, input);
  // A payment already paid or closed needs no order: the first attempt's outcome stands. A link's order is
  // made when someone opens it (pay-link.ts), from their browser.
  if (payment.status !== 'PENDING' || payment.mode === 'h5') return { payment, clientParams: {} };
  const created = await provider.createOrder({
    outTradeNo: payment.outTradeNo,
    amountFen: payment.amountFen,
    description: payment.description,
    payer: input.payer,
    expiresAt: new Date(payment.expiresAt),
    mode: input.mode,
  });
  if (created.alreadyPaid) {
    // Paid before this attempt (its notification not yet here): ask the provider and capture what it says.
    const state = await provider.queryOrder(payment.outTradeNo);
    const current = await loadPayment(deps.ledger, payment.paymentId);
    return { payment: await settleWithProviderState(deps, current, state), clientParams: {} };
  }
  return { payment, clientParams: created.clientParams };
}

/** The payment an earlier attempt of the same request recorded, if any (it must be the same request). */
async function findFirstAttempt(
  deps: PaymentDeps,
  paymentId: string,
  input: CreatePaymentInput,
): Promise<Payment | undefined> {
  const stored = (await deps.ledger.payments.get(paymentId))?.value;
  if (!stored) return undefined;
  if (stored.patientId !== input.patientId || stored.amountFen !== input.amountFen)
    throw new InvalidStateError(`Payment ${paymentId} was created by another request.`, { paymentId });
  return stored;
}

/**
 * Validates and records the new payment PENDING. When that fails and the request has a key, an earlier
 * attempt of the same request may have recorded it already (the write found it, or the visit it paid off
 * is no longer owed): that payment is the outcome. The happy path reads nothing first.
 */
async function recordPayment(
  deps: PaymentDeps,
  paymentId: string,
  input: CreatePaymentInput,
): Promise<Payment> {
  // A top-up writes its admission too: a charge posted meanwhile makes it read the admission again.
  return retryOnConflict(
    async () => {
      try {
        return await recordNewPayment(deps, paymentId, input);
      } catch (error) {
        const first = input.requestKey ? await findFirstAttempt(deps, paymentId, input) : undefined;
        if (first) return first;
        throw error;
      }
    },
    { attempts: input.purpose === 'deposit' ? 10 : 1 },
  );
}

/** A new payment, PENDING until its provider's word, expiring after the configured minutes. */
export function pendingPayment(deps: PaymentDeps, paymentId: string, input: CreatePaymentInput): Payment {
  const now = deps.clock.now();
  const minutes =
    input.mode === 'mini-program'
      ? deps.payments.expiryMinutes
      : (input.expiresInMinutes ?? MAX_LINK_MINUTES);
  return {
    paymentId,
    patientId: input.patientId,
    channel: input.channel,
    purpose: input.purpose,
    referenceId: input.referenceId,
    description: input.description,
    amountFen: input.amountFen,
    currency: 'CNY',
    outTradeNo: outTradeNoFor(paymentId),
    mode: input.mode,
    status: 'PENDING',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
    refundedFen: fen(0),
    refundingFen: fen(0),
    refundCount: 0,
    refundIds: [],
    ...(input.payer ? { payerId: payerIdOf(input.payer) } : {}),
  };
}

/** Records a new payment PENDING with its reference index, in one transaction. */
async function recordNewPayment(
  deps: PaymentDeps,
  paymentId: string,
  input: CreatePaymentInput,
): Promise<Payment> {
  const settlesVisitId = await visitToPayOff(deps, input);
  const topUp = await depositTopUp(deps, paymentId, input);
  // A link's token: 192 random bits, the capability its holder pays with (docs/windows.md).
  const payLink = input.mode === 'h5' ? randomBytes(24).toString('base64url') : undefined;
  const payment: Payment = {
    ...pendingPayment(deps, paymentId, input),
    ...(settlesVisitId ? { settlesVisitId } : {}),
    ...(input.copyFee ? { revenueSplit: input.copyFee.revenueSplit } : {}),
    ...(payLink ? { payLink } : {}),
    ...(topUp ? { admission: topUp.admission } : {}),
    ...(input.arrearsOf ? { admission: { admissionId: input.arrearsOf, kind: 'ARREARS' as const } } : {}),
  };
  await deps.ledger.commit({
    entities: [
      deps.ledger.payments.write(payment, { kind: 'absent' }),
      deps.ledger.payments.listing(payment),
      ...(payLink ? [deps.ledger.payments.linkListing(payment, payLink)] : []),
      ...(topUp ? [topUp.write] : []),
    ],
  });
  deps.metrics.count('PaymentsCreated', { channel: payment.channel });
  return payment;
}
