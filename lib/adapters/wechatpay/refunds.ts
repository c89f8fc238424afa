/**
 * A WeChat Pay refund as medpay reads it (查询单笔退款 and the REFUND.* notifications,
 * pay.weixin.qq.com/docs/merchant/apis/refund/refunds/query-by-out-refund-no.html): `status` SUCCESS,
 * CLOSED, PROCESSING or ABNORMAL ("退款到银行发现用户的卡作废或者冻结了…手动处理此笔退款"); `channel`
 * ORIGINAL, BALANCE, OTHER_BALANCE or OTHER_BANKCARD; `user_received_account` "{银行名称}{卡类型}{卡尾号}" for
 * a bank card, 支付用户零钱 / 支付用户零钱通 for the balance, 商户基本账户 / 商户结算银行账户 for the merchant.
 */
import type { RefundDestination } from '../../domain/refund-progress';
import type { RefundState } from '../../ports/payment-provider';
import type { WechatJson } from './client';

/** The merchant's own accounts, as user_received_account names them. */
const MERCHANT_ACCOUNTS = ['商户基本账户', '商户结算银行账户'];

/** Where a refund goes, from `channel` (when reported) and `user_received_account`. */
export function wechatRefundDestination(channel: unknown, account: unknown): RefundDestination | undefined {
  if (typeof account !== 'string' || account === '') return undefined;
  if (MERCHANT_ACCOUNTS.some((m) => account.startsWith(m))) return { kind: 'MERCHANT', account };
  if (channel === 'BALANCE' || channel === 'OTHER_BALANCE' || account.startsWith('支付用户零钱'))
    return { kind: 'BALANCE', account };
  if (channel === 'OTHER_BANKCARD' || /银行|信用卡|借记卡|储蓄卡/.test(account))
    return { kind: 'BANK_CARD', account };
  return { kind: 'OTHER', account };
}

const STATUS: Readonly<Record<string, RefundState['status']>> = {
  SUCCESS: 'SUCCEEDED',
  PROCESSING: 'PROCESSING',
  ABNORMAL: 'ABNORMAL',
  CLOSED: 'FAILED',
};

/** A refund resource (apply, query, apply-abnormal-refund answer) in medpay's terms. */
export function wechatRefundState(d: WechatJson): RefundState {
  const destination = wechatRefundDestination(d.channel, d.user_received_account);
  return {
    // Anything unlisted is not believed to be final: the sweep asks again.
    status: STATUS[String(d.status)] ?? 'PROCESSING',
    ...(typeof d.refund_id === 'string' ? { providerRefundId: d.refund_id } : {}),
    ...(d.success_time ? { succeededAt: new Date(String(d.success_time)) } : {}),
    ...(destination ? { destination } : {}),
  };
}
