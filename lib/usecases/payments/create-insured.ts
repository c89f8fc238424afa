/**
 * Create an insured payment (医保移动支付): medical insurance pays its part of a charge, the wallet the rest.
 *
 * Primary course:
 *   1. The HIS's fee lines must add up to the amount (400 otherwise); nothing is called yet.
 *   2. A retry of the same request (same key) answers the payment its first attempt recorded.
 *   3. The wallet's authorisation is exchanged for a payAuthNo (AuthExchange): expired, used or unknown is
 *      422 INSURANCE_AUTH_INVALID; nothing is written. The payAuthNo is used at once and never stored.
 *   4. 6201 uploads the fee lines; the platform answers its order and the split (fund, personal account,
 *      self-pay). Unavailable: 503, nothing written. Refused: 422. A split that does not add up to the
 *      amount is an integrity alert (the upload is revoked).
 *   5. The payment is recorded PENDING with its split, the platform's order and the mix type.
 *   6. The wallet's mixed order is placed. If it fails, the upload is revoked (6401) and the payment CLOSED,
 *      so nothing is left half-done; the error is answered.
 *   7. The answer carries the split and the client parameters that open the wallet's cashier.
 * A split with no insured part is a cash-only mixed order: the upload is revoked first (a CASH_ONLY order
 * with an open upload leaves the 医保局 record stuck, W5 §2.8 B).
 */
import { medOrgOrdFor, mixPayTypeOf, splitTotal } from '../../domain/insurance';
import { IntegrityAlertError, ValidationError } from '../../domain/errors';
import { addFen, fen } from '../../domain/money';
import type { Payment, PaymentInsurance } from '../../domain/payment';
import type { FeeLine, UploadedFees } from '../../ports/insurance-gateway';
import type { PatientIdentity } from '../../ports/medical-orders';
import { payerIdOf } from '../../ports/payment-provider';
import { pendingPayment, type CreatePaymentInput } from './create';
import { insuredFor, type PaymentDeps } from './deps';
import { firstAttempt, transition, type Versioned } from '../shared/records';
import { loadPayment } from './records';

/** What an insured payment adds to a payment request. */
export interface InsuranceInput {
  /** The wallet's authorisation code (WeChat 医保 mini-program authCode; Alipay auth code, scope nhsamp). */
  readonly authCode: string;
  /** "longitude,latitude" from the front end (Alipay's authorisation does not report it). */
  readonly location?: string;
  /** 医疗类别 (medType) and the HIS's charge batch (chrgBchno; the payment's referenceId when absent). */
  readonly medicalType?: string;
  readonly chargeBatchNo?: string;
  readonly departmentCode?: string;
  readonly doctorCode?: string;
  readonly feeLines: readonly FeeLine[];
  /** The patient as WeChat checks them against the insured person; used once, never stored. */
  readonly patient?: PatientIdentity;
}

/** Creates the insured payment and its mixed order. */
export async function createInsuredPayment(
  deps: PaymentDeps,
  input: CreatePaymentInput & { readonly insurance: InsuranceInput },
): Promise<{ payment: Payment; clientParams: Readonly<Record<string, string>> }> {
  if (input.purpose === 'deposit')
    throw new ValidationError('A deposit is not paid with medical insurance; insurance pays at discharge.', [
      { path: 'body.insurance', message: 'not with purpose deposit' },
    ]);
  const parts = insuredFor(deps, input.channel);
  const ins = input.insurance;
  assertLinesAddUp(ins.feeLines, input.amountFen);
  const { id: paymentId, earlier } = await firstAttempt(
    deps.ids,
    deps.ledger.payments,
    'payment',
    input.requestKey,
  );
  if (earlier) return { payment: earlier, clientParams: {} };
  if (!input.payer)
    throw new ValidationError('An insured payment needs the payer (the wallet user who authorised).', [
      { path: 'body.payer', message: 'required' },
    ]);
  const payerId = payerIdOf(input.payer);
  const now = deps.clock.now();
  const auth = await parts.auth.exchange({ authCode: ins.authCode, payerId });
  const location = auth.location ?? ins.location;
  if (!location)
    throw new ValidationError("The patient's location (longitude,latitude) is required on this channel.", [
      { path: 'body.insurance.location', message: 'required' },
    ]);
  const medOrgOrd = medOrgOrdFor(paymentId);
  const chargeBatchNo = ins.chargeBatchNo ?? input.referenceId;
  const uploaded = await parts.platform.uploadFees({
    payAuthNo: auth.payAuthNo,
    insuredRegion: auth.insuredRegion,
    location,
    medOrgOrd,
    chargeBatchNo,
    medicalType: ins.medicalType ?? parts.defaultMedicalType,
    departmentCode: ins.departmentCode,
    doctorCode: ins.doctorCode,
    totalFen: input.amountFen,
    lines: ins.feeLines,
    at: now,
  });
  const revoke = () => parts.platform.revoke(uploaded).catch(() => undefined);
  // An authentic split that does not add up to the charge contradicts it: an integrity alert, nothing kept.
  if (splitTotal(uploaded.split) !== input.amountFen) {
    await revoke();
    throw new IntegrityAlertError(`the platform's split of ${medOrgOrd}`, [
      { field: 'split total', recorded: input.amountFen, reported: splitTotal(uploaded.split) },
    ]);
  }
  const mixPayType = mixPayTypeOf(uploaded.split);
  if (mixPayType === 'CASH_ONLY') await revoke();
  const recorded = await recordInsured(deps, paymentId, input, {
    mixPayType,
    status: mixPayType === 'CASH_ONLY' ? 'REVOKED' : 'UPLOADED',
    medOrgOrd,
    chargeBatchNo,
    payOrdId: uploaded.payOrdId,
    payToken: uploaded.payToken,
    split: uploaded.split,
    selfPayStatus: uploaded.split.selfPayFen > 0 ? 'PENDING' : 'NONE',
  });
  const payment = recorded.value;
  try {
    const created = await parts.orders.create({
      outTradeNo: payment.outTradeNo,
      description: payment.description,
      purpose: payment.purpose,
      payer: input.payer,
      patient: ins.patient,
      mixPayType,
      totalFen: payment.amountFen,
      split: uploaded.split,
      ...(mixPayType === 'CASH_ONLY'
        ? {}
        : { platform: platformPart(uploaded, auth, medOrgOrd, chargeBatchNo, location, now) }),
      expiresAt: new Date(payment.expiresAt),
    });
    const ordered = await markOrdered(deps, recorded, created.channelOrderNo);
    return { payment: ordered, clientParams: created.clientParams };
  } catch (error) {
    if (mixPayType !== 'CASH_ONLY') await revoke();
    await closeUnordered(deps, payment.paymentId);
    throw error;
  }
}

/** The platform's order as the wallet's mixed order names it. */
export function platformPart(
  uploaded: UploadedFees,
  auth: { payAuthNo: string; insuredRegion: string; medicalCard?: { id: string; instId: string } },
  medOrgOrd: string,
  chargeBatchNo: string,
  location: string,
  createdAt: Date,
) {
  return {
    payAuthNo: auth.payAuthNo,
    payOrdId: uploaded.payOrdId,
    medOrgOrd,
    chargeBatchNo,
    location,
    city: auth.insuredRegion,
    ...(auth.medicalCard ? { medicalCard: auth.medicalCard } : {}),
    createdAt,
  };
}

/** Fee lines that do not add up to the amount are refused before anything is sent (400). */
function assertLinesAddUp(lines: readonly FeeLine[], amountFen: number): void {
  const sum = addFen(fen(0), ...lines.map((l) => l.amountFen));
  if (lines.length === 0 || sum !== amountFen)
    throw new ValidationError(`The fee lines add up to ${sum} fen, not the payment's ${amountFen} fen.`, [
      { path: 'body.insurance.feeLines', message: 'must add up to amountFen' },
    ]);
  const ids = new Set(lines.map((l) => l.lineId));
  if (ids.size !== lines.length)
    throw new ValidationError('Each fee line needs its own lineId.', [
      { path: 'body.insurance.feeLines', message: 'lineId repeated' },
    ]);
}

/** Records the insured payment PENDING with its reference index, in one transaction (a new entity is version 1). */
async function recordInsured(
  deps: PaymentDeps,
  paymentId: string,
  input: CreatePaymentInput,
  insurance: PaymentInsurance,
): Promise<Versioned<Payment>> {
  const payment: Payment = { ...pendingPayment(deps, paymentId, input), insurance };
  await deps.ledger.commit({
    entities: [
      deps.ledger.payments.write(payment, { kind: 'absent' }),
      deps.ledger.payments.listing(payment),
    ],
  });
  deps.metrics.count('PaymentsCreated', { channel: payment.channel });
  return { value: payment, version: 1 };
}

/**
 * Keeps the wallet's order number on the payment, guarded by the version just written: if a notification
 * moved it meanwhile, that outcome stands and the payment is read back.
 */
export async function markOrdered(
  deps: PaymentDeps,
  current: Versioned<Payment>,
  channelOrderNo: string,
): Promise<Payment> {
  const insurance = current.value.insurance;
  if (!insurance) return current.value;
  const next: Payment = {
    ...current.value,
    insurance: {
      ...insurance,
      channelOrderNo,
      status: insurance.status === 'UPLOADED' ? 'ORDERED' : insurance.status,
    },
  };
  try {
    return (await transition(deps.ledger, deps.ledger.payments, current, next)).value;
  } catch (error) {
    const now = await loadPayment(deps.ledger, current.value.paymentId);
    if (now.version !== current.version) return now.value;
    throw error;
  }
}

/** The wallet order could not be placed: the payment is CLOSED and its upload REVOKED. */
export async function closeUnordered(deps: PaymentDeps, paymentId: string): Promise<void> {
  const current = await loadPayment(deps.ledger, paymentId).catch(() => undefined);
  const insurance = current?.value.insurance;
  if (!current || !insurance || current.value.status !== 'PENDING') return;
  await transition(
    deps.ledger,
    deps.ledger.payments,
    current,
    {
      ...current.value,
      status: 'CLOSED',
      closedAt: deps.clock.now().toISOString(),
      insurance: { ...insurance, status: 'REVOKED' },
    },
    {},
  ).catch(() => undefined);
}
