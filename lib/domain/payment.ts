/** Payments and refunds: statuses, the one transition guard, refundable arithmetic and ledger postings. */
import { statusGuard } from './status-machine';
import { InvalidStateError, MedpayError, ErrorCode } from './errors';
import { Accounts, type AccountId, type Channel } from './ledger/accounts';
import { journalTransaction, txnIdFor, type JournalTransaction } from './ledger/journal';
import { fen, type Fen } from './money';
import type { CashAdjustments, Split } from './insurance';
import type { Counter, PaymentCodeProgress } from './payment-code';
import type { RefundAbnormal, RefundDestination, RefundStep } from './refund-progress';
import type { PaymentReceipt } from './receipt';

/** Payment statuses (API.md). */
export const PAYMENT_STATUSES = ['PENDING', 'PAID', 'CLOSED', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What a payment is for; the revenue account follows it. */
export const PAYMENT_PURPOSES = [
  'registration',
  'examination',
  'prescription',
  'copy-fee',
  'deposit',
  'other',
] as const;
export type PaymentPurpose = (typeof PAYMENT_PURPOSES)[number];

/**
 * How a payment is taken: in the wallet's mini-program (JSAPI / my.tradePay), by a QR code a kiosk or a bill
 * shows (WeChat native, Alipay precreate), by a link anyone can pay in a phone's browser (WeChat H5, Alipay
 * wap.pay), or by scanning the patient's payment code at a window (付款码).
 */
export const PAYMENT_MODES = ['mini-program', 'qr', 'h5', 'payment-code'] as const;

/** How long a QR code or a payment link can be paid at most: the providers' QR codes die after 2 h (B3, A12). */
export const MAX_LINK_MINUTES = 120;
export type PaymentMode = (typeof PAYMENT_MODES)[number];

/** Refund statuses (API.md). */
export const REFUND_STATUSES = ['PROCESSING', 'SUCCEEDED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** The largest amount medpay accepts for one payment: 10^10 fen (¥100,000,000). */
export const MAX_PAYMENT_FEN = 10_000_000_000;

/** WeChat Pay allows at most 50 partial refunds per order, within one year of payment. */
export const MAX_REFUNDS_PER_PAYMENT = 50;
export const REFUND_WINDOW_MS = 365 * 24 * 60 * 60 * 1000;

const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  // A notification that arrives while we close still resolves to PAID: the money moved.
  PENDING: ['PAID', 'CLOSED'],
  PAID: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  CLOSED: ['PAID'],
  REFUNDED: [],
};

/** The one guard every payment transition goes through; throws INVALID_STATE otherwise. */
export const assertPaymentTransition = statusGuard('Payment', 'paymentId', PAYMENT_TRANSITIONS);

/** The statuses a payment can be refunded from. */
export const REFUNDABLE_STATUSES: readonly PaymentStatus[] = ['PAID', 'PARTIALLY_REFUNDED'];

/** The part of a payment still refundable, counting refunds in flight. */
export function refundableFen(payment: { amountFen: Fen; refundedFen: Fen; refundingFen: Fen }): Fen {
  return fen(payment.amountFen - payment.refundedFen - payment.refundingFen, 'refundableFen');
}

/** Thrown when a refund asks for more than is left to refund. */
export class AmountExceedsRefundableError extends MedpayError {
  constructor(paymentId: string, requestedFen: number, refundableFenLeft: number) {
    super(
      ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
      `Payment ${paymentId} has ${refundableFenLeft} fen left to refund; ${requestedFen} fen was asked.`,
      { paymentId, requestedFen, refundableFen: refundableFenLeft },
    );
  }
}

/** Checks a refund request against the payment: status, amount, WeChat's count and one-year window. */
export function assertRefundable(
  payment: {
    paymentId: string;
    status: PaymentStatus;
    amountFen: Fen;
    refundedFen: Fen;
    refundingFen: Fen;
    refundCount: number;
    paidAt?: string;
  },
  amountFen: Fen,
  now: Date,
): void {
  if (!REFUNDABLE_STATUSES.includes(payment.status)) {
    throw new InvalidStateError(
      `Payment ${payment.paymentId} is ${payment.status}; only a paid payment can be refunded.`,
      {
        paymentId: payment.paymentId,
        status: payment.status,
      },
    );
  }
  if (amountFen <= 0)
    throw new AmountExceedsRefundableError(payment.paymentId, amountFen, refundableFen(payment));
  const left = refundableFen(payment);
  if (amountFen > left) throw new AmountExceedsRefundableError(payment.paymentId, amountFen, left);
  if (payment.refundCount >= MAX_REFUNDS_PER_PAYMENT) {
    throw new InvalidStateError(
      `Payment ${payment.paymentId} already has ${MAX_REFUNDS_PER_PAYMENT} refunds, the providers' limit.`,
      {
        paymentId: payment.paymentId,
      },
    );
  }
  if (payment.paidAt && now.getTime() - new Date(payment.paidAt).getTime() > REFUND_WINDOW_MS) {
    throw new InvalidStateError(
      `Payment ${payment.paymentId} was paid more than a year ago and can no longer be refunded online.`,
      {
        paymentId: payment.paymentId,
      },
    );
  }
}

/** The status after `refundedFen` of `amountFen` has been refunded. */
export function statusAfterRefund(amountFen: Fen, refundedFen: Fen): PaymentStatus {
  return refundedFen >= amountFen ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}

/**
 * A payment that belongs to an inpatient admission: a top-up of its deposit (purpose `deposit`), or the
 * arrears its discharge settlement asked for. Neither is revenue: a top-up is money held for the patient,
 * arrears pay the stay's charges, which were revenue when posted.
 */
export interface PaymentAdmission {
  readonly admissionId: string;
  /** DEPOSIT: a top-up; ARREARS: what the deposits did not cover; DISCHARGE: the insured discharge's mixed order. */
  readonly kind: 'DEPOSIT' | 'ARREARS' | 'DISCHARGE';
}

/** The account an admission's payment settles: a top-up fills the deposit, arrears and discharge pay the tab. */
const admissionAccount = (admission: PaymentAdmission): AccountId =>
  admission.kind === 'DEPOSIT'
    ? Accounts.admissionDeposit(admission.admissionId)
    : Accounts.admissionTab(admission.admissionId);

/** Deterministic provider order number of a payment: unique, 6–32 characters of [A-Za-z0-9], as WeChat requires. */
export function outTradeNoFor(paymentId: string): string {
  return `MP${paymentId.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 32);
}

/** Deterministic provider refund number of a refund (also Alipay's out_request_no). */
export function outRefundNoFor(refundId: string): string {
  return `MR${refundId.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 32);
}

/**
 * The capture of a payment: the charge (Dr patient receivable / Cr revenue:<purpose>) and its settlement
 * by the channel (Dr channel clearing / Cr patient receivable), in one transaction.
 */
export function captureTransaction(p: {
  paymentId: string;
  patientId: string;
  channel: Channel;
  purpose: PaymentPurpose;
  amountFen: Fen;
  paidAt: Date;
  outTradeNo: string;
  providerTradeNo?: string;
  referenceId: string;
  settlesVisitId?: string;
  revenueSplit?: Readonly<Record<string, Fen>>;
  insurance?: { readonly split: Split; readonly payOrdId?: string };
  /** How it was taken (statements show it). */
  mode?: PaymentMode;
  admission?: PaymentAdmission;
}): JournalTransaction {
  // An admission's payment credits its deposit (a top-up) or its tab (arrears) instead of the patient.
  const receivable = p.admission ? admissionAccount(p.admission) : Accounts.patientReceivable(p.patientId);
  // A visit's charges were recognised as revenue when they were added; paying it off only clears the debt.
  const revenue =
    p.settlesVisitId || p.admission
      ? []
      : [
          { account: receivable, side: 'debit' as const, amountFen: p.amountFen },
          ...revenueLines(p, p.amountFen).map(([slug, amountFen]) => ({
            account: Accounts.revenue(slug),
            side: 'credit' as const,
            amountFen,
          })),
        ];
  return journalTransaction({
    txnId: txnIdFor('payment', p.paymentId, 'captured'),
    occurredAt: p.paidAt,
    refs: {
      paymentId: p.paymentId,
      outTradeNo: p.outTradeNo,
      referenceId: p.referenceId,
      purpose: p.purpose,
      channel: p.channel,
      ...(p.providerTradeNo ? { providerTradeNo: p.providerTradeNo } : {}),
      ...(p.settlesVisitId ? { visitId: p.settlesVisitId } : {}),
      ...(p.insurance?.payOrdId ? { payOrdId: p.insurance.payOrdId } : {}),
      ...(p.mode ? { mode: p.mode } : {}),
      ...(p.admission ? { admissionId: p.admission.admissionId } : {}),
    },
    postings: [
      ...revenue,
      ...settledBy(p.channel, p.amountFen, p.insurance?.split).map(([account, amountFen]) => ({
        account,
        side: 'debit' as const,
        amountFen,
      })),
      { account: receivable, side: 'credit', amountFen: p.amountFen },
    ],
  });
}

/**
 * Who pays an amount: the channel's clearing account, or for an insured payment the insurance fund, the
 * personal accounts and the channel (the self-pay part) in the split's parts (zero parts left out).
 */
export function settledBy(channel: Channel, amountFen: Fen, split?: Split): Array<[AccountId, Fen]> {
  if (!split) return [[Accounts.channelClearing(channel), amountFen]];
  const parts: Array<[AccountId, Fen]> = [
    [Accounts.insuranceFundReceivable(), split.fundFen],
    [Accounts.personalAccountReceivable(), split.personalAccountFen],
    [Accounts.channelClearing(channel), split.selfPayFen],
  ];
  return parts.filter(([, v]) => v > 0);
}

/**
 * The revenue accounts an amount of a payment goes to. With a split, a part of the payment (a partial
 * refund) is shared pro rata, in whole fen, the remainder going to the largest share.
 */
export function revenueLines(
  p: { purpose: PaymentPurpose; revenueSplit?: Readonly<Record<string, Fen>> },
  amountFen: Fen,
  ofTotalFen: Fen = amountFen,
): Array<[string, Fen]> {
  const split = Object.entries(p.revenueSplit ?? {}).filter(([, v]) => v > 0);
  if (split.length === 0) return [[p.purpose, amountFen]];
  const shares = split.map(([slug, v]): [string, number] => [slug, Math.floor((amountFen * v) / ofTotalFen)]);
  const rest = amountFen - shares.reduce((n, [, v]) => n + v, 0);
  const largest = split.reduce((best, e, i) => (e[1] > (split[best]?.[1] ?? 0) ? i : best), 0);
  return shares
    .map(([slug, v], i): [string, Fen] => [slug, fen(i === largest ? v + rest : v)])
    .filter(([, v]) => v > 0);
}

/** A succeeded refund: the reverse of a capture for `amountFen`. */
export function refundTransaction(r: {
  refundId: string;
  paymentId: string;
  patientId: string;
  channel: Channel;
  purpose: PaymentPurpose;
  amountFen: Fen;
  succeededAt: Date;
  outTradeNo: string;
  outRefundNo: string;
  settlesVisitId?: string;
  paymentAmountFen?: Fen;
  revenueSplit?: Readonly<Record<string, Fen>>;
  /** The payment's HIS reference and the provider's refund number, for statements. */
  referenceId?: string;
  providerRefundId?: string;
  /** An insured refund: the parts given back (summing to amountFen), and the platform's order. */
  split?: Split;
  payOrdId?: string;
  admission?: PaymentAdmission;
}): JournalTransaction {
  const receivable = r.admission ? admissionAccount(r.admission) : Accounts.patientReceivable(r.patientId);
  // Refunding a visit pay-off puts the debt back; a deposit refund empties the deposit: neither is revenue.
  const revenue =
    r.settlesVisitId || r.admission
      ? []
      : [
          ...revenueLines(r, r.amountFen, r.paymentAmountFen).map(([slug, amountFen]) => ({
            account: Accounts.revenue(slug),
            side: 'debit' as const,
            amountFen,
          })),
          { account: receivable, side: 'credit' as const, amountFen: r.amountFen },
        ];
  return journalTransaction({
    txnId: txnIdFor('refund', r.refundId, 'succeeded'),
    occurredAt: r.succeededAt,
    refs: {
      refundId: r.refundId,
      paymentId: r.paymentId,
      outTradeNo: r.outTradeNo,
      outRefundNo: r.outRefundNo,
      channel: r.channel,
      purpose: r.purpose,
      ...(r.referenceId ? { referenceId: r.referenceId } : {}),
      ...(r.providerRefundId ? { providerRefundId: r.providerRefundId } : {}),
      ...(r.settlesVisitId ? { visitId: r.settlesVisitId } : {}),
      ...(r.payOrdId ? { payOrdId: r.payOrdId } : {}),
      ...(r.admission ? { admissionId: r.admission.admissionId } : {}),
    },
    postings: [
      ...revenue,
      { account: receivable, side: 'debit', amountFen: r.amountFen },
      ...settledBy(r.channel, r.amountFen, r.split).map(([account, amountFen]) => ({
        account,
        side: 'credit' as const,
        amountFen,
      })),
    ],
  });
}

/** A payment as stored and returned. Amounts are fen; times are ISO-8601 strings. */
export interface Payment {
  readonly paymentId: string;
  readonly patientId: string;
  readonly channel: Channel;
  readonly purpose: PaymentPurpose;
  readonly referenceId: string;
  readonly description: string;
  readonly amountFen: Fen;
  readonly currency: 'CNY';
  readonly outTradeNo: string;
  readonly status: PaymentStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly paidAt?: string;
  readonly closedAt?: string;
  readonly providerTradeNo?: string;
  /**
   * Who paid (WeChat openid, Alipay user id): the payer the order was made for, or, for an order anyone could
   * pay (a QR code, a payment code), whoever the provider says paid it. Not necessarily the patient.
   */
  readonly payerId?: string;
  /** How the payment is taken (absent on payments made before modes were recorded: mini-program or qr). */
  readonly mode?: PaymentMode;
  /** A payment taken at a window or kiosk: who took it and on which device (the audit trail). */
  readonly counter?: Counter;
  /** A payment-code payment's progress. */
  readonly paymentCode?: PaymentCodeProgress;
  /** A payment link (mode h5): the unguessable token its URL carries, which anyone holding it may pay. */
  readonly payLink?: string;
  readonly refundedFen: Fen;
  readonly refundingFen: Fen;
  readonly refundCount: number;
  readonly refundIds: readonly string[];
  /**
   * Set when the payment pays off a credit visit whose capture failed (purpose `other`, referenceId =
   * visitId): its charges are already revenue, so the payment only settles the patient's receivable.
   */
  readonly settlesVisitId?: string;
  /**
   * How the amount splits across revenue accounts (e.g. copy-fee pages and courier), summing to amountFen;
   * absent: all of it is revenue:<purpose>.
   */
  readonly revenueSplit?: Readonly<Record<string, Fen>>;
  /** Medical insurance paid part of it (an insured payment): the platform's order and the split. */
  readonly insurance?: PaymentInsurance;
  /** An inpatient admission's top-up or arrears (refunded only through its discharge settlement). */
  readonly admission?: PaymentAdmission;
  /** Its fiscal e-receipts (财政电子票据): issued once settled, reversed and reissued as it is refunded. */
  readonly receipt?: PaymentReceipt;
}

/** Where an insured payment's insurance part stands. */
export const INSURANCE_STATUSES = ['UPLOADED', 'ORDERED', 'SETTLED', 'REVOKED', 'REFUNDED'] as const;
export type InsuranceStatus = (typeof INSURANCE_STATUSES)[number];

/** The insurance part of an insured payment. Never the patient's payAuthNo: it is used once and dropped. */
export interface PaymentInsurance {
  readonly mixPayType: 'CASH_ONLY' | 'INSURANCE_ONLY' | 'CASH_AND_INSURANCE';
  readonly status: InsuranceStatus;
  /** The hospital's order at the platform (medOrgOrd) and the HIS charge batch (chrgBchno). */
  readonly medOrgOrd: string;
  readonly chargeBatchNo: string;
  /** The platform's order and its token (6201's answer), needed for 6301, 6401 and 6203. */
  readonly payOrdId?: string;
  readonly payToken?: string;
  readonly split: Split;
  /** A discharge's mixed order: the unlisted charges added and the deposits taken off its cash. */
  readonly cashAdjustments?: CashAdjustments;
  /** The wallet's mixed order (WeChat mix_trade_no; Alipay trade_no). */
  readonly channelOrderNo?: string;
  /** Where the self-pay part stands: NONE when there is none. */
  readonly selfPayStatus: 'NONE' | 'PENDING' | 'PAID' | 'REFUNDED';
}

/** A refund as stored and returned. */
export interface Refund {
  readonly refundId: string;
  readonly paymentId: string;
  readonly patientId: string;
  readonly channel: Channel;
  readonly amountFen: Fen;
  readonly reason: string;
  readonly outRefundNo: string;
  readonly status: RefundStatus;
  readonly createdAt: string;
  readonly succeededAt?: string;
  readonly providerRefundId?: string;
  readonly batchId?: string;
  /** Who the money goes back to: the payment's payer (a family member who paid, not necessarily the patient). */
  readonly payerId?: string;
  /** An insured payment's refund: each part's progress (the insured part at the platform, then the cash). */
  readonly insurance?: RefundInsurance;
  /** What happened to it, in order (refunds recorded before #24 have none: their times say it). */
  readonly steps?: readonly RefundStep[];
  /** Where the money goes, as the provider reported it. */
  readonly destination?: RefundDestination;
  /** When the money should be there (the providers' published timing; refund-progress.ts). */
  readonly expectedBy?: string;
  /** WeChat ABNORMAL: the card could not take it; waiting for staff to re-route it. */
  readonly abnormal?: RefundAbnormal;
}

/** The parts of an insured refund and where each stands. */
export interface RefundInsurance {
  /** What is given back: fund and personal account through 6203, self-pay through the wallet. */
  readonly split: Split;
  readonly platform: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  readonly platformRefundId?: string;
  readonly cash: 'NONE' | 'PENDING' | 'SUCCEEDED' | 'FAILED';
  /** WeChat: the wallet was told the insured part went back (`/v3/med-ins/refunds/notify`). */
  readonly walletNotified: boolean;
}

/** One payment's outcome in a batch. */
export interface BulkRefundItem {
  readonly paymentId: string;
  readonly referenceId: string;
  readonly patientId: string;
  readonly amountFen: number;
  readonly status: 'REFUNDED' | 'REFUND_PROCESSING' | 'FAILED' | 'SKIPPED';
  readonly refundId?: string;
  readonly detail?: string;
}

/** A bulk refund batch as stored and returned. */
export interface BulkRefundBatch {
  readonly batchId: string;
  readonly status: 'PROCESSING' | 'COMPLETED';
  readonly reason: string;
  readonly referenceIds: readonly string[];
  readonly compensationFen: number;
  readonly createdAt: string;
  readonly completedAt?: string;
  readonly items: readonly BulkRefundItem[];
  readonly totals: {
    readonly refundedFen: number;
    readonly compensationFen: number;
    readonly payments: number;
  };
}
