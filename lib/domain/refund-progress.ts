/**
 * A refund's progress as a patient can follow it (#24): the steps taken, each with a time; where the money
 * goes, as the provider reports it; and when it should arrive, by the provider's published timing:
 *   - WeChat Pay (查询单笔退款, pay.weixin.qq.com/docs/merchant/apis/refund/refunds/query-by-out-refund-no.html):
 *     "零钱支付的订单退款一般5分钟内到账，银行卡支付的订单退款一般1-3个工作日到账" — 5 minutes to the balance,
 *     3 working days (the upper bound) to a bank card, and 3 working days while WeChat has not said which;
 *   - Alipay (alipay.trade.refund): a refund to the balance is there once it succeeds; a bank card's time is
 *     the bank's, not published as a rule, so no promise is made;
 *   - a refund waiting on the hospital (WeChat ABNORMAL: the card was cancelled or frozen, "退款到银行发现用户的
 *     卡作废或者冻结了"; or re-routed to the hospital's own account) is promised within the hospital's
 *     finance hours (24 h unless configured).
 * Working days skip Saturdays, Sundays and the configured bank holidays (Asia/Shanghai): the statutory
 * holiday calendar (with its 调休 working weekends) is published yearly by the State Council and is not in
 * medpay, so it is configuration.
 */
import { toShanghaiDateTime } from './business-day';
import type { Channel } from './ledger/accounts';

/** What happened to a refund, in order. */
export const REFUND_STEPS = ['REQUESTED', 'ACCEPTED', 'ABNORMAL', 'REROUTED', 'SUCCEEDED', 'FAILED'] as const;
export type RefundStepName = (typeof REFUND_STEPS)[number];

/** One step, with when it happened and (for a person's action) who took it. */
export interface RefundStep {
  readonly step: RefundStepName;
  readonly at: string;
  readonly by?: string;
  readonly note?: string;
}

/** Where the money goes: the wallet's balance, a bank card, the hospital's own account, or other. */
export const DESTINATION_KINDS = ['BALANCE', 'BANK_CARD', 'MERCHANT', 'OTHER'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** The destination as the provider reports it (`account` in its own words, e.g. 招商银行信用卡0403). */
export interface RefundDestination {
  readonly kind: DestinationKind;
  readonly account: string;
}

/** How an ABNORMAL refund was sent on (WeChat apply-abnormal-refund `type`). */
export const REROUTE_TYPES = ['USER_BANK_CARD', 'MERCHANT_BANK_CARD'] as const;
export type RerouteType = (typeof REROUTE_TYPES)[number];

/**
 * The banks whose debit cards an ABNORMAL refund can be re-routed to (apply-abnormal-refund `bank_type`,
 * pay.weixin.qq.com/docs/merchant/apis/refund/refunds/create-abnormal-refund.html: 招行、交通银行、农行、
 * 建行、工商、中行、平安、浦发、中信、光大、民生、兴业、广发、邮储、宁波银行).
 */
export const REROUTE_BANKS = [
  'CMB_DEBIT',
  'COMM_DEBIT',
  'ABC_DEBIT',
  'CCB_DEBIT',
  'ICBC_DEBIT',
  'BOC_DEBIT',
  'PAB_DEBIT',
  'SPDB_DEBIT',
  'CITIC_DEBIT',
  'CEB_DEBIT',
  'CMBC_DEBIT',
  'CIB_DEBIT',
  'GDB_DEBIT',
  'PSBC_DEBIT',
  'NBCB_DEBIT',
] as const;
export type RerouteBank = (typeof REROUTE_BANKS)[number];

/** An ABNORMAL refund: since when, and how staff sent it on (never the card number or the name). */
export interface RefundAbnormal {
  readonly since: string;
  readonly reroute?: {
    readonly type: RerouteType;
    readonly by: string;
    readonly at: string;
    readonly bankType?: RerouteBank;
    /** The last four digits of the card, for the audit trail. */
    readonly accountTail?: string;
  };
}

/** The hospital's side of the timing: its promise while a refund waits on finance, and its bank holidays. */
export interface RefundPolicy {
  readonly financeMinutes: number;
  /** Bank holidays as yyyy-mm-dd (Asia/Shanghai) that are not weekends. */
  readonly holidays: readonly string[];
}

export const DEFAULT_REFUND_POLICY: RefundPolicy = { financeMinutes: 24 * 60, holidays: [] };

const MINUTE = 60_000;
const SHANGHAI_OFFSET_MS = 8 * 60 * MINUTE;
/** WeChat's published upper bounds (query-by-out-refund-no). */
const WECHAT_BALANCE_MINUTES = 5;
const WECHAT_CARD_WORKING_DAYS = 3;

/** `at` moved on by `n` working days (Mon–Fri, Asia/Shanghai, not a configured holiday), same time of day. */
export function addWorkingDays(at: Date, n: number, holidays: readonly string[]): Date {
  let t = at.getTime();
  for (let left = n; left > 0;) {
    t += 24 * 60 * MINUTE;
    const local = new Date(t + SHANGHAI_OFFSET_MS);
    const weekday = local.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.includes(local.toISOString().slice(0, 10))) left -= 1;
  }
  return new Date(t);
}

/** The step that last changed where the refund stands (the promise is counted from it). */
const last = (steps: readonly RefundStep[], names: readonly RefundStepName[]) =>
  [...steps].reverse().find((s) => names.includes(s.step));

/**
 * When the money should be there, for a refund still on its way (undefined once it is final, or where no
 * timing is published). Counted from the step that started the current wait.
 */
export function expectedArrival(
  r: {
    readonly channel: Channel;
    readonly steps: readonly RefundStep[];
    readonly destination?: RefundDestination;
    readonly abnormal?: RefundAbnormal;
  },
  policy: RefundPolicy,
): Date | undefined {
  const final = last(r.steps, ['SUCCEEDED', 'FAILED']);
  if (final) return undefined;
  const financeWait = (from: string) => new Date(new Date(from).getTime() + policy.financeMinutes * MINUTE);
  const reroute = r.abnormal?.reroute;
  if (reroute)
    // To the patient's card: a card refund again (an assumption: WeChat publishes no separate time);
    // to the hospital's account: finance pays the patient out.
    return reroute.type === 'USER_BANK_CARD'
      ? addWorkingDays(new Date(reroute.at), WECHAT_CARD_WORKING_DAYS, policy.holidays)
      : financeWait(reroute.at);
  if (r.abnormal) return financeWait(r.abnormal.since);
  const from = last(r.steps, ['ACCEPTED', 'REQUESTED']);
  if (!from) return undefined;
  const start = new Date(from.at);
  if (r.channel === 'wechatpay')
    return r.destination?.kind === 'BALANCE'
      ? new Date(start.getTime() + WECHAT_BALANCE_MINUTES * MINUTE)
      : addWorkingDays(start, WECHAT_CARD_WORKING_DAYS, policy.holidays);
  return undefined;
}

/** What the patient (or staff) should do next, and a sentence saying where the refund stands. */
export function nextStepOf(r: {
  readonly status: 'PROCESSING' | 'SUCCEEDED' | 'FAILED';
  readonly destination?: RefundDestination;
  readonly abnormal?: RefundAbnormal;
  readonly expectedBy?: string;
}): { readonly nextStep: 'WAIT' | 'HOSPITAL' | 'CONTACT_HOSPITAL' | 'NONE'; readonly message: string } {
  const where = r.destination ? `（${r.destination.account}）` : '';
  const by = r.expectedBy ? `，预计 ${toShanghaiDateTime(new Date(r.expectedBy)).slice(0, 16)} 前到账` : '';
  if (r.status === 'SUCCEEDED')
    return r.destination?.kind === 'MERCHANT'
      ? { nextStep: 'HOSPITAL', message: '退款已退回医院账户，由医院财务线下退还' }
      : { nextStep: 'NONE', message: `退款已到账${where}` };
  if (r.status === 'FAILED')
    return { nextStep: 'CONTACT_HOSPITAL', message: '退款未成功，请联系医院财务处理' };
  if (r.abnormal?.reroute) return { nextStep: 'WAIT', message: `退款已由医院重新发起${by}` };
  if (r.abnormal) return { nextStep: 'HOSPITAL', message: `原卡无法入账，退费申请已提交至财务部${by}` };
  return { nextStep: 'WAIT', message: `退款处理中${where}${by}` };
}

/** The steps of a refund, with those implied by its times where it predates #24. */
export function stepsOf(r: {
  readonly steps?: readonly RefundStep[];
  readonly createdAt: string;
  readonly status: 'PROCESSING' | 'SUCCEEDED' | 'FAILED';
  readonly succeededAt?: string;
}): readonly RefundStep[] {
  if (r.steps) return r.steps;
  return [
    { step: 'REQUESTED', at: r.createdAt },
    ...(r.status === 'SUCCEEDED' && r.succeededAt ? [{ step: 'SUCCEEDED' as const, at: r.succeededAt }] : []),
  ];
}

/** A refund with a step taken (once: the same step twice in a row is one), where it goes, and its new promise. */
export function withStep<
  R extends {
    readonly channel: Channel;
    readonly createdAt: string;
    readonly status: 'PROCESSING' | 'SUCCEEDED' | 'FAILED';
    readonly succeededAt?: string;
    readonly steps?: readonly RefundStep[];
    readonly destination?: RefundDestination;
    readonly abnormal?: RefundAbnormal;
    readonly expectedBy?: string;
  },
>(
  refund: R,
  step: RefundStep | undefined,
  change: { readonly destination?: RefundDestination; readonly abnormal?: RefundAbnormal },
  policy: RefundPolicy,
): R & { readonly steps: readonly RefundStep[]; readonly expectedBy?: string } {
  const steps = stepsOf(refund);
  const repeated = step && steps.at(-1)?.step === step.step;
  const next = {
    ...refund,
    steps: step && !repeated ? [...steps, step] : steps,
    ...(change.destination ? { destination: change.destination } : {}),
    ...(change.abnormal ? { abnormal: change.abnormal } : {}),
  };
  const expected = expectedArrival(next, policy);
  return { ...next, expectedBy: expected?.toISOString() };
}
