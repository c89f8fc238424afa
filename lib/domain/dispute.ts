/**
 * Fee disputes (费用争议): a patient's complaint about a charge, raised with WeChat Pay (消费者投诉 2.0), with
 * Alipay (交易投诉, alipay.merchant.tradecomplain.*) or with the hospital directly, followed to the end in one
 * staff inbox with the deadlines that apply to it.
 *
 * medpay's status is the hospital's side of the work: OPEN (no reply yet), REPLIED (in hand), RESOLVED (staff
 * completed it, or the provider closed it after a refund) and CLOSED (the provider or patient ended it
 * without the hospital completing it). The provider's own state is kept beside it as reported.
 */
import type { Channel } from './ledger/accounts';
import type { Fen } from './money';
import { statusGuard } from './status-machine';

/** Where a dispute was raised: a wallet's complaint system, or the patient through medpay's API. */
export const DISPUTE_SOURCES = ['wechatpay', 'alipay', 'patient'] as const satisfies readonly (
  Channel | 'patient'
)[];
export type DisputeSource = (typeof DISPUTE_SOURCES)[number];

/** The hospital's side of a dispute. */
export const DISPUTE_STATUSES = ['OPEN', 'REPLIED', 'RESOLVED', 'CLOSED'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

const TRANSITIONS: Readonly<Record<DisputeStatus, readonly DisputeStatus[]>> = {
  OPEN: ['REPLIED', 'RESOLVED', 'CLOSED'],
  REPLIED: ['RESOLVED', 'CLOSED'],
  // A repeat complaint (WeChat CONTINUE_COMPLAINT) opens a dispute again, with new deadlines.
  RESOLVED: ['OPEN'],
  CLOSED: ['OPEN'],
};

/** The one guard every dispute transition goes through; throws INVALID_STATE otherwise. */
export const assertDisputeTransition = statusGuard('Dispute', 'disputeId', TRANSITIONS);

/** One message of a dispute's conversation. */
export interface DisputeMessage {
  readonly at: string;
  readonly from: 'patient' | 'staff' | 'provider';
  readonly text: string;
  /** Staff: `role:sub`. */
  readonly by?: string;
}

/** A complaint as the wallet reports it (the last time medpay asked). */
export interface DisputeAtProvider {
  readonly complaintId: string;
  /** The merchant complained about (WeChat complainted_mchid); absent where the provider does not name it. */
  readonly merchantId?: string;
  /** The provider's state, as reported (WeChat complaint_state, Alipay status). */
  readonly state: string;
  /** How many times the patient complained about it (WeChat user_complaint_times): repeats count. */
  readonly complaintTimes: number;
  /** The provider's problem type (WeChat problem_type REFUND…; Alipay leaf_category_name). */
  readonly problemType?: string;
  /** What the patient asked back (WeChat apply_refund_amount). */
  readonly requestedRefundFen?: Fen;
  /** The last action the provider notified (WeChat action_type). */
  readonly lastAction?: string;
  readonly syncedAt: string;
}

/** A dispute about one payment (or about an order medpay does not hold, which staff can still answer). */
export interface Dispute {
  readonly disputeId: string;
  readonly source: DisputeSource;
  readonly status: DisputeStatus;
  /** The payment it concerns; absent only for a wallet complaint about an order medpay never made. */
  readonly paymentId?: string;
  readonly patientId?: string;
  /** The provider order number the complaint names. */
  readonly outTradeNo?: string;
  readonly description: string;
  readonly openedAt: string;
  /** The first reply is due by then. */
  readonly replyBy: string;
  /** It must be resolved by then. */
  readonly resolveBy: string;
  readonly repliedAt?: string;
  readonly resolvedAt?: string;
  readonly closedAt?: string;
  readonly messages: readonly DisputeMessage[];
  /** Refunds made for it, through the usual refund path. */
  readonly refundIds: readonly string[];
  readonly resolution?: { readonly by: string; readonly at: string; readonly note: string };
  readonly provider?: DisputeAtProvider;
  readonly updatedAt: string;
}

/**
 * How long the hospital has, in hours from the complaint: WeChat Pay's rule (消费者投诉处理指南,
 * kf.qq.com/faq/230125a6NbmA230125vMNZnE.html: "商家最晚需在投诉单生成24h内操作回复 … 72h内妥善处理完用户
 * 问题"); Alipay's open platform "限定72小时内处理用户投诉" (its announcement of the trade-complaint system; no
 * first-reply deadline is published, so the reply is due by the same time); a dispute opened with the
 * hospital: the hospital's own promise (configuration, DISPUTE_REPLY_HOURS and DISPUTE_RESOLVE_HOURS).
 */
export interface DisputeDeadlines {
  readonly replyHours: number;
  readonly resolveHours: number;
}

/** The published deadlines by provider, and the default promise for disputes opened with the hospital. */
export const DISPUTE_DEADLINES: Readonly<Record<DisputeSource, DisputeDeadlines>> = {
  wechatpay: { replyHours: 24, resolveHours: 72 },
  alipay: { replyHours: 72, resolveHours: 72 },
  patient: { replyHours: 24, resolveHours: 72 },
};

const HOUR_MS = 3_600_000;

/** The reply and resolution deadlines of a dispute (or repeat complaint) raised at `from`. */
export function deadlinesFrom(from: Date, d: DisputeDeadlines): { replyBy: string; resolveBy: string } {
  return {
    replyBy: new Date(from.getTime() + d.replyHours * HOUR_MS).toISOString(),
    resolveBy: new Date(from.getTime() + d.resolveHours * HOUR_MS).toISOString(),
  };
}

/** True while the hospital still has something to do. */
export const isDisputeOpen = (d: Pick<Dispute, 'status'>) => d.status === 'OPEN' || d.status === 'REPLIED';

/** The deadline that applies now: the first reply's until someone replied, then the resolution's. */
export function nextDeadline(d: Dispute): string | undefined {
  if (!isDisputeOpen(d)) return undefined;
  return d.status === 'OPEN' ? d.replyBy : d.resolveBy;
}

/** The dispute with one more message. */
export const withMessage = (d: Dispute, message: DisputeMessage): Dispute => ({
  ...d,
  messages: [...d.messages, message],
  updatedAt: message.at,
});
