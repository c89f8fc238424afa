/**
 * Alipay asynchronous notification verification, on the raw form body:
 *   1. RSA2 signature with the SDK's checkNotifySignV2 (V1 checkNotifySign throws on values with "%");
 *   2. app_id and seller_id are ours; 3. the event is translated (the amount check against the order is
 *   the use case's, which knows the order).
 */
import type { AlipaySdk } from 'alipay-sdk';
import { NotificationRejectedError } from '../../domain/errors';
import { parseYuan } from '../../domain/money';
import type { ProviderEvent, RawNotification } from '../../ports/payment-provider';

/** What verification needs besides the SDK (which holds Alipay's public key or certificate). */
export interface AlipayNotificationConfig {
  readonly appId: string;
  /** Our merchant PID (2088…), which Alipay sends as seller_id. */
  readonly sellerId: string;
}

const reject = (
  reason: ConstructorParameters<typeof NotificationRejectedError>[0],
  message: string,
  context = {},
) => new NotificationRejectedError(reason, message, { channel: 'alipay', ...context });

/** Parses `yyyy-MM-dd HH:mm:ss`, which Alipay sends in Beijing time. */
export function parseAlipayTime(value: string | undefined): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value.replace(' ', 'T')}+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Verifies an Alipay notification and translates it; throws NotificationRejectedError otherwise. */
export function verifyAlipayNotification(
  sdk: AlipaySdk,
  config: AlipayNotificationConfig,
  raw: RawNotification,
): ProviderEvent {
  const params = Object.fromEntries(new URLSearchParams(raw.body.toString('utf8')));
  if (!params.sign || !params.notify_id)
    throw reject('MALFORMED', 'An Alipay notification needs sign and notify_id.');
  let valid = false;
  try {
    valid = sdk.checkNotifySignV2(params);
  } catch {
    valid = false;
  }
  if (!valid) throw reject('BAD_SIGNATURE', 'The RSA2 signature does not match the notification parameters.');
  // Fund-authorisation notifications name the payee (payee_user_id) where trades name the seller.
  const merchant = params.notify_type === 'fund_auth_freeze' ? params.payee_user_id : params.seller_id;
  if (params.app_id !== config.appId || merchant !== config.sellerId) {
    throw reject('WRONG_MERCHANT', 'The notification is for another app or seller.', {
      appId: params.app_id,
      sellerId: merchant,
    });
  }

  const channel = 'alipay' as const;
  const notificationId = params.notify_id;
  if (params.notify_type === 'fund_auth_freeze') return fundAuthFreeze(notificationId, params);
  // Refunds also arrive as trade_status_sync with refund_fee/out_biz_no; they are confirmed by the refund
  // call itself and by query, so they must never be mistaken for a second payment.
  if (params.out_biz_no || params.refund_fee || params.gmt_refund) {
    return { kind: 'ignored', channel, notificationId, reason: 'refund status sync' };
  }
  if (params.trade_status !== 'TRADE_SUCCESS' && params.trade_status !== 'TRADE_FINISHED') {
    return {
      kind: 'ignored',
      channel,
      notificationId,
      reason: `trade_status ${params.trade_status ?? 'missing'}`,
    };
  }
  const paidAt = parseAlipayTime(params.gmt_payment) ?? parseAlipayTime(params.notify_time);
  if (!params.out_trade_no || !params.trade_no || !params.total_amount || !paidAt) {
    throw reject(
      'MALFORMED',
      'A paid-trade notification needs out_trade_no, trade_no, total_amount and gmt_payment.',
    );
  }
  let amountFen;
  try {
    amountFen = parseYuan(params.total_amount, 'total_amount');
  } catch {
    throw reject('MALFORMED', `total_amount ${params.total_amount} is not a yuan amount.`);
  }
  return {
    kind: 'payment.succeeded',
    channel,
    notificationId,
    outTradeNo: params.out_trade_no,
    providerTradeNo: params.trade_no,
    amountFen,
    paidAt,
  };
}

/** A confirmed fund authorisation (status SUCCESS of a FREEZE operation). */
function fundAuthFreeze(notificationId: string, params: Record<string, string>): ProviderEvent {
  const channel = 'alipay' as const;
  if (params.operation_type !== 'FREEZE' || params.status !== 'SUCCESS')
    return {
      kind: 'ignored',
      channel,
      notificationId,
      reason: `fund auth ${params.operation_type} ${params.status}`,
    };
  const at = parseAlipayTime(params.gmt_trans) ?? parseAlipayTime(params.notify_time);
  if (!params.out_order_no || !params.auth_no || !params.amount || !at)
    throw reject(
      'MALFORMED',
      'A fund_auth_freeze notification needs out_order_no, auth_no, amount and gmt_trans.',
    );
  try {
    return {
      kind: 'authorisation.confirmed',
      channel,
      notificationId,
      outOrderNo: params.out_order_no,
      authNo: params.auth_no,
      authorisedFen: parseYuan(params.amount, 'amount'),
      creditFen: params.credit_amount ? parseYuan(params.credit_amount, 'credit_amount') : undefined,
      at,
    };
  } catch {
    throw reject('MALFORMED', 'amount or credit_amount is not a yuan amount.');
  }
}
