/**
 * Inpatients (住院): an admission's deposit (预交金) paid by anyone, its running balance against the day's
 * charges, and the discharge settlement (出院结算) that books insurance, deducts the self-pay part from the
 * deposits, refunds a surplus to the payments it came from and asks for arrears. Pure: the use cases persist.
 */
import { ErrorCode, IntegrityAlertError, InvalidStateError, MedpayError } from './errors';
import { statusGuard } from './status-machine';
import { addFen, fen, type Fen } from './money';
import { REFUND_WINDOW_MS, MAX_REFUNDS_PER_PAYMENT } from './payment';
import type { Channel } from './ledger/accounts';
import type { Split } from './insurance';
import { CHARGE_CATEGORIES, type ChargeListing } from './visit';

/** Admission statuses. */
export const ADMISSION_STATUSES = ['OPEN', 'SETTLING', 'AWAITING_ARREARS', 'SETTLED'] as const;
export type AdmissionStatus = (typeof ADMISSION_STATUSES)[number];

const ADMISSION_TRANSITIONS: Readonly<Record<AdmissionStatus, readonly AdmissionStatus[]>> = {
  OPEN: ['SETTLING'],
  // Back to OPEN only when insurance refused the discharge before anything was booked.
  SETTLING: ['OPEN', 'AWAITING_ARREARS', 'SETTLED'],
  AWAITING_ARREARS: ['SETTLED'],
  SETTLED: [],
};

/** The one guard every admission transition goes through; throws INVALID_STATE otherwise. */
export const assertAdmissionTransition = statusGuard('Admission', 'admissionId', ADMISSION_TRANSITIONS);

/** What an inpatient stay is charged for: a visit's categories, and bed, nursing and surgery (each a revenue account). */
export const ADMISSION_CHARGE_CATEGORIES = [...CHARGE_CATEGORIES, 'bed', 'nursing', 'surgery'] as const;
export type AdmissionChargeCategory = (typeof ADMISSION_CHARGE_CATEGORIES)[number];

/** A hospital's inpatient rules (configuration: the caps are the hospital's, under 国卫办财务发〔2025〕5号). */
export interface AdmissionPolicy {
  /** The most an admission may hold in deposits when the HIS names no cap of its own. */
  readonly depositCapFen: Fen;
  /** The balance under which the ward is told to ask for a top-up, when the HIS names none. */
  readonly lowBalanceFen: Fen;
}

/** One top-up as the admission counts it: asked for (PENDING), then paid or closed. */
export interface TopUp {
  readonly paymentId: string;
  readonly amountFen: Fen;
  readonly channel: Channel;
  readonly status: 'PENDING' | 'PAID' | 'CLOSED';
  readonly paidAt?: string;
  /** Who paid (a relative's wallet, not necessarily the patient's). */
  readonly payerId?: string;
}

/** One line the HIS posted against the admission (stored on its own item, listed by admission). */
export interface AdmissionCharge {
  readonly admissionId: string;
  readonly chargeId: string;
  readonly category: AdmissionChargeCategory;
  readonly description: string;
  readonly amountFen: Fen;
  /** The business day the HIS charged it for (its daily list, 一日清单). */
  readonly serviceDate: string;
  readonly postedAt: string;
  readonly listing?: ChargeListing;
}

/** A surplus refund the settlement planned: one per top-up it goes back to. */
export interface SurplusRefund {
  readonly paymentId: string;
  readonly channel: Channel;
  readonly payerId?: string;
  readonly amountFen: Fen;
  /** Derived from the admission and the payment, so a re-run asks for the same refund. */
  readonly refundId: string;
  readonly status: 'PLANNED' | 'PROCESSING' | 'SUCCEEDED' | 'FAILED';
}

/** What discharge does with the money, fixed once insurance has spoken. */
export interface DischargePlan {
  /** What insurance pays (the platform's split at discharge; all self-pay without insurance). */
  readonly split: Split;
  /** Taken from the deposits for the self-pay part (预交金抵扣). */
  readonly deductedFen: Fen;
  /** Deposits beyond the self-pay part, refunded to the top-ups. */
  readonly surplusFen: Fen;
  /** The self-pay part the deposits do not cover, asked for by a payment request. */
  readonly arrearsFen: Fen;
  /** The self-pay part the deposits did not cover, already paid in the wallet's mixed order (no arrears asked). */
  readonly paidInOrderFen?: Fen;
  readonly refunds: readonly SurplusRefund[];
  /** Surplus no top-up can take back online (older than the refund window, or at the refund limit). */
  readonly unrefundableFen: Fen;
}

/**
 * The insured part at discharge. Through the national platform (6201 upload, 6202 settle), as a visit's:
 * ORDERING once 6202 is sent (a crash leaves 6301 to decide), SETTLED when the platform confirmed the split.
 * Through the wallet (WeChat's mixed order, IN_HOSP_PAY with the deposits as PRE_PAYMENT): ORDERING while
 * the patient confirms the order `paymentId`, SETTLED when it is paid.
 */
export interface DischargeInsurance {
  readonly status: 'ORDERING' | 'SETTLED';
  readonly channel: Channel;
  /** Where the insured part is settled: the platform (6202) or the wallet's mixed order. */
  readonly settleIn?: 'platform' | 'wallet';
  /** The mixed order's payment (settleIn wallet). */
  readonly paymentId?: string;
  readonly payOrdId: string;
  readonly payToken: string;
  readonly medOrgOrd: string;
  readonly chargeBatchNo: string;
  /** The platform's split of the listed charges, with the unlisted ones added to self-pay. */
  readonly split: Split;
  readonly orderedAt: string;
}

/** The persisted discharge saga and how far it went (the admission's totals are frozen while it runs). */
export interface DischargeSettlement {
  /** INSURANCE (when asked) → BOOK → REFUND or ARREARS → DONE. */
  readonly step: 'INSURANCE' | 'BOOK' | 'REFUND' | 'ARREARS' | 'DONE';
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** The channel arrears are asked for on. */
  readonly arrearsChannel: Channel;
  readonly insurance?: DischargeInsurance;
  readonly plan?: DischargePlan;
  readonly arrears?: { readonly paymentId: string; readonly channel: Channel };
  readonly lastError?: string;
}

/** An inpatient admission as stored. */
export interface Admission {
  readonly admissionId: string;
  readonly patientId: string;
  readonly ward: string;
  readonly status: AdmissionStatus;
  /** What the hospital asks the patient to deposit on admission. */
  readonly requestedDepositFen: Fen;
  readonly depositCapFen: Fen;
  readonly lowBalanceFen: Fen;
  readonly openedAt: string;
  /** Deposits paid (top-ups captured while the admission was open). */
  readonly depositsFen: Fen;
  /** Charges posted. */
  readonly chargesFen: Fen;
  readonly chargeCount: number;
  readonly topUps: readonly TopUp[];
  /** True from the charge that took the balance under lowBalanceFen until a top-up lifts it again. */
  readonly lowBalance: boolean;
  readonly settlement?: DischargeSettlement;
  readonly dischargedAt?: string;
  readonly settledAt?: string;
  /** Why the last discharge went back to OPEN (insurance refused it). */
  readonly lastDischargeError?: string;
}

/** The most top-ups one admission keeps (it lives in one item; a stay sees a handful). */
export const MAX_TOP_UPS = 200;

/** The running balance: deposits minus charges, negative in arrears (signed fen). */
export const balanceOf = (a: Pick<Admission, 'depositsFen' | 'chargesFen'>): number =>
  a.depositsFen - a.chargesFen;

/** A top-up that would take the deposits over the admission's cap. */
export class DepositCapExceededError extends MedpayError {
  constructor(admissionId: string, amountFen: number, roomFen: number) {
    super(
      ErrorCode.DEPOSIT_CAP_EXCEEDED,
      `Admission ${admissionId} can take ${roomFen} fen more in deposits; the top-up is ${amountFen} fen.`,
      { admissionId, amountFen, roomFen },
    );
  }
}

/** A discharge asked for while a top-up is still being paid. */
export class TopUpPendingError extends MedpayError {
  constructor(admissionId: string, paymentId: string) {
    super(
      ErrorCode.TOP_UP_PENDING,
      `Admission ${admissionId} has a top-up being paid (${paymentId}); wait for it, or close it, before discharge.`,
      { admissionId, paymentId },
    );
  }
}

/** Refuses a top-up unless the admission is OPEN and the deposits stay within its cap. */
export function assertMayTopUp(admission: Admission, amountFen: Fen): void {
  if (admission.status !== 'OPEN')
    throw new InvalidStateError(
      `Admission ${admission.admissionId} is ${admission.status}; deposits are taken while it is OPEN.`,
      { admissionId: admission.admissionId, status: admission.status },
    );
  const room = Math.max(0, admission.depositCapFen - admission.depositsFen);
  if (amountFen > room) throw new DepositCapExceededError(admission.admissionId, amountFen, room);
  if (admission.topUps.length >= MAX_TOP_UPS)
    throw new InvalidStateError(
      `Admission ${admission.admissionId} has ${MAX_TOP_UPS} top-ups, the most kept.`,
      {
        admissionId: admission.admissionId,
      },
    );
}

/**
 * Decides what posting a charge does: 'post', 'duplicate' (the same chargeId with the same amount), or
 * throws (another amount → 422 CHARGE_ID_REUSED; the admission no longer OPEN → 409).
 */
export function decidePostCharge(
  admission: Admission,
  existing: AdmissionCharge | undefined,
  charge: { chargeId: string; amountFen: Fen },
): 'post' | 'duplicate' {
  if (existing) {
    if (existing.amountFen !== charge.amountFen)
      throw new MedpayError(
        ErrorCode.CHARGE_ID_REUSED,
        `Charge ${charge.chargeId} was posted with ${existing.amountFen} fen; a chargeId is posted once.`,
        { chargeId: charge.chargeId, existingAmountFen: existing.amountFen },
      );
    return 'duplicate';
  }
  if (admission.status !== 'OPEN')
    throw new InvalidStateError(
      `Admission ${admission.admissionId} is ${admission.status}; charges are posted while it is OPEN.`,
      { admissionId: admission.admissionId, status: admission.status },
    );
  return 'post';
}

/**
 * The admission after a charge, and whether the ward must be told: the balance crossed under the threshold
 * with this charge (once per crossing; a top-up re-arms it).
 */
export function withCharge(admission: Admission, amountFen: Fen): { next: Admission; lowBalance: boolean } {
  const next = {
    ...admission,
    chargesFen: addFen(admission.chargesFen, amountFen),
    chargeCount: admission.chargeCount + 1,
  };
  const lowBalance = !admission.lowBalance && balanceOf(next) < admission.lowBalanceFen;
  return { next: { ...next, lowBalance: admission.lowBalance || lowBalance }, lowBalance };
}

/** The admission after a top-up was paid: counted in the deposits, re-arming the low-balance alert. */
export function withTopUpPaid(
  admission: Admission,
  paid: { paymentId: string; paidAt: string; payerId?: string },
): Admission {
  const topUps = admission.topUps.map((t) =>
    t.paymentId === paid.paymentId
      ? {
          ...t,
          status: 'PAID' as const,
          paidAt: paid.paidAt,
          ...(paid.payerId ? { payerId: paid.payerId } : {}),
        }
      : t,
  );
  const amount = admission.topUps.find((t) => t.paymentId === paid.paymentId)?.amountFen ?? fen(0);
  const next = { ...admission, topUps, depositsFen: addFen(admission.depositsFen, amount) };
  return { ...next, lowBalance: next.lowBalance && balanceOf(next) < next.lowBalanceFen };
}

/** A top-up as the settlement sees it (in the order the admission asked for them): its payment's amounts and age. */
export interface RefundableTopUp {
  readonly paymentId: string;
  readonly channel: Channel;
  readonly payerId?: string;
  readonly paidAt: string;
  /** What is left to refund on the payment (paid minus refunded and refunding). */
  readonly refundableFen: Fen;
  readonly refundCount: number;
}

/**
 * Splits a surplus over the top-ups it came from, the most recent first: the stay used the deposits in the
 * order they were paid, so what is left is the latest money. A refund never exceeds what its payment has
 * left, and a payment past the providers' one-year window or at their 50-refund limit is passed over
 * (WeChat 申请退款 notes 1 and 4: pay.weixin.qq.com/doc/v3/merchant/4012556457; Alipay likewise refunds
 * within 12 months). What no top-up can take is `unrefundableFen`, for finance to pay out by hand.
 */
export function allocateSurplus(
  topUps: readonly RefundableTopUp[],
  surplusFen: Fen,
  now: Date,
  refundIdOf: (paymentId: string) => string,
): { refunds: SurplusRefund[]; unrefundableFen: Fen } {
  // The providers give paid times to the second: two top-ups paid within one are taken in the order asked.
  const newestFirst = topUps
    .map((t, asked) => ({ t, asked, at: new Date(t.paidAt).getTime() }))
    .sort((x, y) => y.at - x.at || y.asked - x.asked)
    .map(({ t }) => t);
  const refunds: SurplusRefund[] = [];
  let left: number = surplusFen;
  for (const t of newestFirst) {
    if (left === 0) break;
    const expired = now.getTime() - new Date(t.paidAt).getTime() > REFUND_WINDOW_MS;
    if (expired || t.refundCount >= MAX_REFUNDS_PER_PAYMENT || t.refundableFen === 0) continue;
    const amountFen = fen(Math.min(left, t.refundableFen));
    refunds.push({
      paymentId: t.paymentId,
      channel: t.channel,
      ...(t.payerId ? { payerId: t.payerId } : {}),
      amountFen,
      refundId: refundIdOf(t.paymentId),
      status: 'PLANNED',
    });
    left -= amountFen;
  }
  return { refunds, unrefundableFen: fen(left, 'unrefundableFen') };
}

/**
 * What discharge does with the money: insurance pays its parts, the deposits pay the self-pay part as far
 * as they go, the rest of the deposits is surplus and the rest of the self-pay part arrears.
 */
export function dischargePlan(
  admission: Pick<Admission, 'depositsFen' | 'chargesFen'>,
  split: Split,
): { deductedFen: Fen; surplusFen: Fen; arrearsFen: Fen } {
  if (addFen(split.fundFen, split.personalAccountFen, split.selfPayFen) !== admission.chargesFen)
    throw new InvalidStateError('The insurance split does not add up to the charges.', {
      chargesFen: admission.chargesFen,
    });
  const deductedFen = fen(Math.min(split.selfPayFen, admission.depositsFen));
  return {
    deductedFen,
    surplusFen: fen(admission.depositsFen - deductedFen, 'surplusFen'),
    arrearsFen: fen(split.selfPayFen - deductedFen, 'arrearsFen'),
  };
}

/**
 * The settlement waiting for the discharge's mixed order `paymentId`, and its insurance. An order its
 * admission is not waiting for contradicts the record: an integrity alert.
 */
export function awaitedOrder(
  admission: Admission,
  paymentId: string,
): { settlement: DischargeSettlement; insurance: DischargeInsurance } {
  const s = admission.settlement;
  const insurance = s?.insurance;
  if (
    admission.status !== 'SETTLING' ||
    s?.step !== 'INSURANCE' ||
    insurance?.settleIn !== 'wallet' ||
    insurance.paymentId !== paymentId
  )
    throw new IntegrityAlertError(`admission ${admission.admissionId}`, [
      { field: 'discharge order', recorded: insurance?.paymentId ?? 'none awaited', reported: paymentId },
    ]);
  return { settlement: s, insurance };
}

/**
 * The settlement once its mixed order is paid, with its plan: the self-pay part beyond the deposits was the
 * order's cash, paid with it, so no arrears are asked; the saga books the deduction next.
 */
export const withOrderPaid = (
  { settlement, insurance }: ReturnType<typeof awaitedOrder>,
  plan: DischargePlan,
): DischargeSettlement => ({
  ...settlement,
  step: 'BOOK',
  insurance: { ...insurance, status: 'SETTLED' },
  plan: { ...plan, arrearsFen: fen(0), paidInOrderFen: plan.arrearsFen },
});

/** The self-pay split of a tab no insurance takes part in. */
export const selfPaySplit = (chargesFen: Fen): Split => ({
  fundFen: fen(0),
  personalAccountFen: fen(0),
  selfPayFen: chargesFen,
});
