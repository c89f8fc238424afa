/**
 * Diagnose first, pay later: the visit state machine, the credit policy, the tab, the insurance split and
 * the settlement plan. Pure: the use cases (issue #4) persist and call providers.
 */
import type { PaymentReceipt } from './receipt';
import { ErrorCode, InvalidStateError, MedpayError, ValidationError } from './errors';
import { statusGuard } from './status-machine';
import { fen, type Fen } from './money';

/** Visit statuses (API.md). */
export const VISIT_STATUSES = [
  'AWAITING_AUTHORISATION',
  'OPEN',
  'SETTLING',
  'SETTLED',
  'PAYMENT_FAILED',
  'OVERDUE',
  'CANCELLED',
] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** Charge categories (API.md); each has a revenue account. */
export const CHARGE_CATEGORIES = [
  'registration',
  'examination',
  'laboratory',
  'prescription',
  'treatment',
  'other',
] as const;
export type ChargeCategory = (typeof CHARGE_CATEGORIES)[number];

const VISIT_TRANSITIONS: Readonly<Record<VisitStatus, readonly VisitStatus[]>> = {
  AWAITING_AUTHORISATION: ['OPEN', 'CANCELLED'],
  OPEN: ['SETTLING', 'CANCELLED'],
  // OVERDUE straight from SETTLING: the last scheduled retry failed.
  SETTLING: ['SETTLED', 'PAYMENT_FAILED', 'OVERDUE'],
  PAYMENT_FAILED: ['SETTLING', 'SETTLED', 'OVERDUE'],
  OVERDUE: ['SETTLED'],
  SETTLED: [],
  CANCELLED: [],
};

/** The one guard every visit transition goes through; throws INVALID_STATE otherwise. */
export const assertVisitTransition = statusGuard('Visit', 'visitId', VISIT_TRANSITIONS);

/** A hospital's pay-later rules. */
export interface CreditPolicy {
  /** The credit authorised at the start of a visit, e.g. 100000–300000 fen (¥1,000–¥3,000). */
  readonly creditLimitFen: Fen;
  /** Auto-settlement cut-off, minutes after midnight Asia/Shanghai (20:00 → 1200). */
  readonly autoSettleAtMinute: number;
  /** Delays before each capture retry, then OVERDUE. */
  readonly captureRetryDelaysMs: readonly number[];
}

const HOUR = 3_600_000;
/** Retry a failed capture after 1 h, 6 h, 24 h and 3 days. */
export const DEFAULT_CAPTURE_RETRY_DELAYS_MS = [HOUR, 6 * HOUR, 24 * HOUR, 72 * HOUR] as const;

/** The patient may not open a credit visit. */
export class PatientOverdueError extends MedpayError {
  constructor(patientId: string, visitId: string) {
    super(
      ErrorCode.PATIENT_OVERDUE,
      `Patient ${patientId} has an overdue visit (${visitId}); pay it before opening another credit visit.`,
      {
        patientId,
        visitId,
      },
    );
  }
}

/** A charge would take the tab above the credit. */
export class CreditLimitExceededError extends MedpayError {
  constructor(
    visitId: string,
    amountFen: number,
    readonly availableCreditFen: number,
  ) {
    super(
      ErrorCode.CREDIT_LIMIT_EXCEEDED,
      `Visit ${visitId} has ${availableCreditFen} fen of credit left; the charge is ${amountFen} fen.`,
      {
        visitId,
        amountFen,
        availableCreditFen,
      },
    );
  }
}

/** Refuses a new credit visit while the patient has one open or overdue (one open credit visit per patient). */
export function assertMayOpenVisit(
  patientId: string,
  others: ReadonlyArray<{ visitId: string; status: VisitStatus }>,
): void {
  const overdue = others.find((v) => v.status === 'OVERDUE' || v.status === 'PAYMENT_FAILED');
  if (overdue) throw new PatientOverdueError(patientId, overdue.visitId);
  const open = others.find(
    (v) => v.status === 'AWAITING_AUTHORISATION' || v.status === 'OPEN' || v.status === 'SETTLING',
  );
  if (open)
    throw new InvalidStateError(`Patient ${patientId} already has an open credit visit (${open.visitId}).`, {
      patientId,
      visitId: open.visitId,
    });
}

/** How the HIS lists a charge for the insurance platform's 6201 (FeeDetailDTO: medListCodg, medinsListCodg, cnt). */
export interface ChargeListing {
  /** The national medical-list code (medListCodg). */
  readonly listCode: string;
  /** The hospital's own list code (medinsListCodg). */
  readonly hospitalListCode: string;
  /** Quantity as the HIS writes it, a decimal string (cnt). */
  readonly quantity: string;
  readonly prescriptionNo?: string;
}

/** A line on the tab. */
export interface Charge {
  readonly chargeId: string;
  readonly category: ChargeCategory;
  readonly description: string;
  readonly amountFen: Fen;
  readonly voided: boolean;
  /** Present when the line is in the insurance lists; a line without it is self-pay and never uploaded. */
  readonly listing?: ChargeListing;
}

/** The tab: the sum of charges not voided. */
export function tabFen(charges: readonly Charge[]): Fen {
  return fen(
    charges.reduce((n, c) => (c.voided ? n : n + c.amountFen), 0),
    'tabFen',
  );
}

/** Credit left on a visit. */
export function availableCreditFen(creditLimitFen: Fen, tab: Fen): Fen {
  return fen(Math.max(0, creditLimitFen - tab), 'availableCreditFen');
}

/**
 * Decides what adding a charge does: 'add', 'duplicate' (same chargeId, same amount: idempotent), or throws
 * (same chargeId with another amount → 422 CHARGE_ID_REUSED; over the credit → CREDIT_LIMIT_EXCEEDED).
 */
export function decideAddCharge(
  visit: { visitId: string; status: VisitStatus; creditLimitFen: Fen; charges: readonly Charge[] },
  charge: { chargeId: string; amountFen: Fen },
): 'add' | 'duplicate' {
  const existing = visit.charges.find((c) => c.chargeId === charge.chargeId);
  if (existing) {
    if (existing.amountFen !== charge.amountFen) {
      throw new MedpayError(
        ErrorCode.CHARGE_ID_REUSED,
        `Charge ${charge.chargeId} was already added with ${existing.amountFen} fen; a chargeId is added once.`,
        {
          chargeId: charge.chargeId,
          existingAmountFen: existing.amountFen,
        },
      );
    }
    return 'duplicate';
  }
  if (visit.status !== 'OPEN') {
    throw new InvalidStateError(
      `Visit ${visit.visitId} is ${visit.status}; charges can be added only while it is OPEN.`,
      { visitId: visit.visitId },
    );
  }
  const available = availableCreditFen(visit.creditLimitFen, tabFen(visit.charges));
  if (charge.amountFen > available)
    throw new CreditLimitExceededError(visit.visitId, charge.amountFen, available);
  return 'add';
}

/** The charges insurance is asked about: live and listed (the rest of the tab is self-pay). */
export function listedCharges(charges: readonly Charge[]): Array<Charge & { listing: ChargeListing }> {
  return charges.filter(
    (c): c is Charge & { listing: ChargeListing } => !c.voided && c.listing !== undefined,
  );
}

/** The insurance platform's split of a tab. */
export interface InsuranceSplit {
  /** Pooled fund (统筹). */
  readonly insuredFen: Fen;
  /** The patient's personal medical-insurance account (个人账户). */
  readonly personalAccountFen: Fen;
  /** What the patient pays from the credit authorisation. */
  readonly selfPayFen: Fen;
}

/** Checks that a split covers exactly the tab it was computed for. */
export function assertSplitCoversTab(split: InsuranceSplit, tab: Fen): void {
  if (split.insuredFen + split.personalAccountFen + split.selfPayFen !== tab) {
    throw new ValidationError(
      `The insurance split (${split.insuredFen} + ${split.personalAccountFen} + ${split.selfPayFen}) does not add up to the tab of ${tab} fen.`,
    );
  }
}

/** What settlement does with money: capture only the self-pay part, release the rest of the authorisation. */
export function settlementPlan(
  authorisedFen: Fen,
  tab: Fen,
  split: InsuranceSplit | undefined,
): { captureFen: Fen; releaseFen: Fen; insuranceFen: Fen } {
  if (split) assertSplitCoversTab(split, tab);
  const insuranceFen = fen(split ? split.insuredFen + split.personalAccountFen : 0, 'insuranceFen');
  const captureFen = fen(split ? split.selfPayFen : tab, 'captureFen');
  if (captureFen > authorisedFen)
    throw new ValidationError(`Capture of ${captureFen} fen exceeds the ${authorisedFen} fen authorised.`);
  return { captureFen, releaseFen: fen(authorisedFen - captureFen, 'releaseFen'), insuranceFen };
}

/** When to retry a failed capture: the next instant, or 'overdue' after the last retry. */
export function nextCaptureAttempt(
  failedAttempts: number,
  lastFailureAt: Date,
  delaysMs: readonly number[] = DEFAULT_CAPTURE_RETRY_DELAYS_MS,
): Date | 'overdue' {
  const delay = delaysMs[failedAttempts - 1];
  return delay === undefined ? 'overdue' : new Date(lastFailureAt.getTime() + delay);
}

/** The credit authorisation behind a visit (Alipay fund authorisation or WeChat Pay Score service order). */
export interface Authorisation {
  /** Alipay auth_no or the Pay Score order_id, once confirmed. */
  readonly authNo?: string;
  /** The amount the patient authorised (equal to the visit's credit limit). */
  readonly authorisedFen: Fen;
  /** The part backed by credit (Zhima credit / Pay Score), freezing nothing. */
  readonly creditFen?: Fen;
  readonly confirmedAt?: string;
}

/**
 * The insured part of a visit's tab, settled at the national platform (6201 + 6202) while the patient
 * authorised, and held for the visit's settlement. Bound to the tab version it was computed for.
 *   ORDERING: uploaded, 6202 sent but its outcome not recorded (a crash; 6301 decides).
 *   HELD: settled at the platform, waiting for the visit's settlement to book it (until expiresAt).
 *   SETTLED: booked by the visit's settlement. REVERSED: refunded (6203) or revoked (6401).
 */
export interface InsurancePreauth extends InsuranceSplit {
  /** The platform's order (payOrdId). */
  readonly preauthId: string;
  readonly payToken: string;
  /** The hospital's order number at the platform and the HIS charge batch (medOrgOrd, chrgBchno). */
  readonly medOrgOrd: string;
  readonly chargeBatchNo: string;
  /** The end of the business day it was settled on: unbooked by then, it is refunded. */
  readonly expiresAt: string;
  readonly tabVersion: number;
  readonly status: 'ORDERING' | 'HELD' | 'SETTLED' | 'REVERSED';
  /** When 6202 was sent: an ORDERING hold younger than a minute may still be answered. */
  readonly orderedAt: string;
}

/** The persisted settlement saga: the next step to run and what the finished steps produced. */
export interface Settlement {
  /** INSURANCE → CAPTURE → RELEASE → DONE. */
  readonly step: 'INSURANCE' | 'CAPTURE' | 'RELEASE' | 'DONE';
  /** Staff chose to settle the whole tab as self-pay (recorded, never silent). */
  readonly asSelfPay: boolean;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly insuredFen: Fen;
  readonly personalAccountFen: Fen;
  readonly selfPayFen: Fen;
  readonly capturedFen: Fen;
  readonly releasedFen: Fen;
  /** The capture's out_trade_no: one per visit, so the provider cannot take the self-pay part twice. */
  readonly captureOutTradeNo: string;
  readonly captureStatus?: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  readonly providerTradeNo?: string;
  readonly failedAttempts: number;
  /** When the scheduled job should next work on this saga (insurance retry, capture retry, pending check). */
  readonly nextAttemptAt?: string;
  readonly lastError?: string;
  /** Set when the outstanding amount was paid through POST /payments instead. */
  readonly paidByPaymentId?: string;
}

/** A credit visit as stored. */
export interface Visit {
  readonly visitId: string;
  readonly patientId: string;
  readonly channel: 'alipay' | 'wechatpay';
  readonly status: VisitStatus;
  readonly insured: boolean;
  readonly creditLimitFen: Fen;
  /** Alipay out_order_no / Pay Score out_order_no. */
  readonly outOrderNo: string;
  /** Alipay out_request_no of the freeze. */
  readonly outRequestNo: string;
  readonly payer: Readonly<Record<string, string>>;
  readonly createdAt: string;
  /** An authorisation not confirmed by then is cancelled by the expiry job. */
  readonly authoriseBy: string;
  readonly authorisation?: Authorisation;
  readonly charges: readonly Charge[];
  /** Increases with every charge added or voided; a pre-authorisation is valid only for its version. */
  readonly tabVersion: number;
  readonly insurance?: InsurancePreauth;
  readonly settlement?: Settlement;
  readonly closedAt?: string;
  /** CANCELLED or paid-off visits: false until the provider confirmed the authorisation is released. */
  readonly authorisationReleased?: boolean;
  /** A settled visit's fiscal e-receipt (docs/receipts.md). */
  readonly receipt?: PaymentReceipt;
}

/** The out_trade_no prefix of visit captures (payments use MP). */
export const VISIT_CAPTURE_PREFIX = 'VC';

/** Deterministic provider numbers of a visit: they are derived from the visitId, never random. */
export function visitProviderNumbers(visitId: string) {
  const base = visitId.replace(/[^A-Za-z0-9]/g, '').slice(-28);
  return {
    outOrderNo: `VA${base}`,
    outRequestNo: `VF${base}`,
    captureOutTradeNo: `${VISIT_CAPTURE_PREFIX}${base}`,
  };
}

/** The valid pre-authorisation of a visit: held, for the current tab, not expired. */
export function validPreauth(visit: Visit, now: Date): InsurancePreauth | undefined {
  const p = visit.insurance;
  return p &&
    p.status === 'HELD' &&
    p.tabVersion === visit.tabVersion &&
    new Date(p.expiresAt).getTime() > now.getTime()
    ? p
    : undefined;
}

/** The amount the patient authorised (the credit limit until the provider says otherwise). */
export function authorisedFen(visit: Visit): Fen {
  return visit.authorisation?.authorisedFen ?? visit.creditLimitFen;
}

/** What the patient still owes on a visit whose capture failed. */
export function outstandingFen(visit: Visit): Fen {
  const s = visit.settlement;
  return fen(s ? s.selfPayFen - s.capturedFen : 0, 'outstandingFen');
}

/** The patient's credit lock: the one visit that is not yet SETTLED or CANCELLED. */
export interface CreditLock {
  readonly status: 'ACTIVE' | 'FREE';
  readonly visitId?: string;
}
