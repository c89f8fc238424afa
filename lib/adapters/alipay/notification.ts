/**
 * Alipay asynchronous notification verification, on the raw form body:
 *   1. RSA2 signature with the SDK's checkNotifySignV2 (V1 checkNotifySign throws on values with "%");
 *   2. app_id and seller_id are ours; 3. the event is translated (the amount check against the order is
 *   the use case's, which knows the order).
 */
import { NotificationRejectedError } from '../../domain/errors';
import { parseYuan } from '../../domain/money';
import { isCanonicalBase64 } from '../encoding';
import { verifyAlipayParams, type AlipayClient } from './client';
import type { NotificationVerifier, ProviderEvent, RawNotification } from '../../ports/payment-provider';

/** What verification needs besides the key (the client, or the webhook's verifier, holds Alipay's public key). */
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

/**
 * Parses `yyyy-MM-dd HH:mm:ss`, which Alipay sends in Beijing time (gmt_payment, notify_time); gmt_refund
 * carries milliseconds (`2018-12-17 11:13:32.263`).
 */
export function parseAlipayTime(value: string | undefined): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,3})?$/.test(value)) return undefined;
  const d = new Date(`${value.replace(' ', 'T')}+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Verifies an Alipay notification and translates it; throws NotificationRejectedError otherwise. */
export function verifyAlipayNotification(
  client: Pick<AlipayClient, 'verifyNotification'>,
  config: AlipayNotificationConfig,
  raw: RawNotification,
): ProviderEvent {
  const form = new URLSearchParams(raw.body.toString('utf8'));
  const params = Object.fromEntries(form);
  // A repeated parameter would let the signed value and the value read differ: Alipay never repeats one.
  if ([...form.keys()].length !== Object.keys(params).length)
    throw reject('MALFORMED', 'A parameter appears more than once.');
  if (!params.sign || !params.notify_id)
    throw reject('MALFORMED', 'An Alipay notification needs sign and notify_id.');
  // Node's base64 decoder skips stray characters, so only the canonical spelling of a signature is read.
  if (!isCanonicalBase64(params.sign)) throw reject('BAD_SIGNATURE', 'sign is not canonical base64.');
  // sign_type is not covered by the signature, so it must be what Alipay sends for RSA2 apps.
  if (params.sign_type !== 'RSA2') throw reject('MALFORMED', 'sign_type must be RSA2.');
  let valid = false;
  try {
    valid = client.verifyNotification(params);
  } catch {
    valid = false;
  }
  if (!valid) throw reject('BAD_SIGNATURE', 'The RSA2 signature does not match the notification parameters.');
  // Fund-authorisation notifications name the payee (payee_user_id) where trades name the seller; real
  // fund_auth_freeze notifications may omit payee_user_id, and then the (signed) app_id identifies us.
  const fundAuth = params.notify_type === 'fund_auth_freeze';
  const merchant = fundAuth ? params.payee_user_id : params.seller_id;
  // Partner mode (第三方应用授权): app_id is the platform's app, auth_app_id the merchant's own app, and
  // seller_id the merchant (PROTOCOLS §3.2: jeepay checks app_id against the ISV app, J2; auth_app_id is
  // "授权商户的appid", A15 [weak]). The seller is then checked against the hospital holding auth_app_id.
  const partner = params.auth_app_id !== undefined && params.auth_app_id !== config.appId;
  if (
    params.app_id !== config.appId ||
    (!partner &&
      params.msg_method !== APP_AUTH_CANCELLED &&
      params.msg_method !== TRADE_COMPLAINT_CHANGED &&
      merchant !== config.sellerId &&
      !(fundAuth && merchant === undefined))
  ) {
    throw reject('WRONG_MERCHANT', 'The notification is for another app or seller.', {
      appId: params.app_id,
      sellerId: merchant,
    });
  }

  const notificationId = params.notify_id;
  const event =
    params.msg_method === APP_AUTH_CANCELLED
      ? appAuthCancelled(notificationId, params)
      : params.msg_method === TRADE_COMPLAINT_CHANGED
        ? tradeComplaintChanged(notificationId, params)
        : params.notify_type === 'fund_auth_freeze'
          ? fundAuthFreeze(notificationId, params)
          : tradeStatusSync(notificationId, params);
  if (event.kind === 'merchant.revoked') return event;
  if (event.kind === 'complaint.changed')
    return partner ? { ...event, subMerchant: params.auth_app_id } : event;
  return partner ? { ...event, subMerchant: params.auth_app_id, merchantId: merchant } : event;
}

/**
 * The message Alipay pushes when a trade complaint is made or changes (opendocs.alipay.com/open/
 * 99c0bf7f_alipay.merchant.tradecomplain.changed, linked from the WeChatDeveloper SDK's issue #86; public
 * gateways read biz_content.complain_event_id and then query it, fact C11): a signed message-service form.
 */
export const TRADE_COMPLAINT_CHANGED = 'alipay.merchant.tradecomplain.changed';

/** alipay.merchant.tradecomplain.changed: the complaint `biz_content.complain_event_id` names changed. */
function tradeComplaintChanged(notificationId: string, params: Record<string, string>): ProviderEvent {
  let complaintId: unknown;
  try {
    complaintId = (JSON.parse(params.biz_content ?? '') as { complain_event_id?: unknown }).complain_event_id;
  } catch {
    complaintId = undefined;
  }
  if (typeof complaintId !== 'string' || complaintId === '')
    throw reject('MALFORMED', 'The complaint message names no complain_event_id in biz_content.');
  return { kind: 'complaint.changed', channel: 'alipay', notificationId, complaintId };
}

/** The message Alipay pushes when a merchant cancels its authorisation of the app (PROTOCOLS §3.2 [weak]). */
export const APP_AUTH_CANCELLED = 'alipay.open.auth.appauth.cancelled';

/**
 * alipay.open.auth.appauth.cancelled: the merchant whose app `biz_content.auth_app_id` names cancelled its
 * authorisation. Several public SDK dispatchers name this message ("第三方应用授权取消消息"); its full field
 * list is not published (docs/hospitals.md names the assumption: a signed form with msg_method, notify_id
 * and biz_content.auth_app_id).
 */
function appAuthCancelled(notificationId: string, params: Record<string, string>): ProviderEvent {
  let authAppId: unknown;
  try {
    authAppId = (JSON.parse(params.biz_content ?? '') as { auth_app_id?: unknown }).auth_app_id;
  } catch {
    authAppId = undefined;
  }
  if (typeof authAppId !== 'string' || authAppId === '')
    throw reject('MALFORMED', 'The cancellation names no auth_app_id in biz_content.');
  return { kind: 'merchant.revoked', channel: 'alipay', notificationId, subMerchant: authAppId };
}

/**
 * A trade_status_sync (see tests/conformance/alipay-notifications.conformance.test.ts, facts L1–L2: the field
 * set of real Alipay-signed notifications, and Alipay's answer on telling refunds apart,
 * developer.aliyun.com/ask/285129):
 *   - TRADE_SUCCESS / TRADE_FINISHED without refund fields: the trade was paid (total_amount in yuan,
 *     trade_no, gmt_payment `yyyy-MM-dd HH:mm:ss` Beijing time);
 *   - refund_fee (the TOTAL refunded so far) with gmt_refund: a refund; out_biz_no is the refund's
 *     out_request_no. A full refund arrives as TRADE_CLOSED with those fields, a partial one as TRADE_SUCCESS;
 *   - TRADE_CLOSED without refund fields: an unpaid trade was closed (timeout or alipay.trade.close);
 *   - WAIT_BUYER_PAY: nothing to do.
 * Domestic trades state no currency; a trans_currency other than CNY is carried for the use case to refuse.
 */
function tradeStatusSync(notificationId: string, params: Record<string, string>): ProviderEvent {
  const channel = 'alipay' as const;
  const status = params.trade_status;
  const outTradeNo = params.out_trade_no;
  const totalFen = yuanOf(params, 'total_amount');
  const providerTradeNo = params.trade_no || undefined;
  if (params.refund_fee || params.gmt_refund || params.out_biz_no) {
    if (!outTradeNo || !params.out_biz_no || !params.refund_fee)
      throw reject('MALFORMED', 'A refund notification needs out_trade_no, out_biz_no and refund_fee.');
    return {
      kind: 'refund.succeeded',
      channel,
      notificationId,
      outTradeNo,
      outRefundNo: params.out_biz_no,
      providerTradeNo,
      paymentTotalFen: totalFen,
      refundedTotalFen: yuanOf(params, 'refund_fee'),
      at: parseAlipayTime(params.gmt_refund) ?? parseAlipayTime(params.notify_time) ?? new Date(),
    };
  }
  if (status === 'TRADE_CLOSED') {
    if (!outTradeNo || totalFen === undefined)
      throw reject('MALFORMED', 'A TRADE_CLOSED notification needs out_trade_no and total_amount.');
    return {
      kind: 'payment.closed',
      channel,
      notificationId,
      outTradeNo,
      providerTradeNo,
      amountFen: totalFen,
    };
  }
  if (status === 'WAIT_BUYER_PAY' && outTradeNo && totalFen !== undefined)
    return {
      kind: 'payment.waiting',
      channel,
      notificationId,
      outTradeNo,
      providerTradeNo,
      amountFen: totalFen,
    };
  if (status !== 'TRADE_SUCCESS' && status !== 'TRADE_FINISHED') {
    return { kind: 'ignored', channel, notificationId, reason: `trade_status ${status ?? 'missing'}` };
  }
  // gmt_payment, not notify_time (which changes on every retry): it is compared with the recorded paidAt.
  const paidAt = parseAlipayTime(params.gmt_payment);
  if (!outTradeNo || !providerTradeNo || totalFen === undefined || !paidAt) {
    throw reject(
      'MALFORMED',
      'A paid-trade notification needs out_trade_no, trade_no, total_amount and gmt_payment.',
    );
  }
  return {
    kind: 'payment.succeeded',
    channel,
    notificationId,
    outTradeNo,
    providerTradeNo,
    amountFen: totalFen,
    ...(params.trans_currency ? { currency: params.trans_currency } : {}),
    ...(params.buyer_id ? { payerId: params.buyer_id } : {}),
    paidAt,
  };
}

/** A yuan amount parameter in fen, undefined when absent; a malformed one rejects the notification. */
function yuanOf(params: Record<string, string>, name: string) {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  try {
    return parseYuan(value, name);
  } catch {
    throw reject('MALFORMED', `${name} ${value} is not a yuan amount.`);
  }
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
      ...(params.trans_currency ? { currency: params.trans_currency } : {}),
      at,
    };
  } catch {
    throw reject('MALFORMED', 'amount or credit_amount is not a yuan amount.');
  }
}

/**
 * A channel verifier over Alipay's public key (PEM) alone, the webhook's (it signs nothing), or over the
 * provider's client. A rejection is a rejected promise.
 */
export function alipayNotificationVerifier(
  key: string | Pick<AlipayClient, 'verifyNotification'>,
  config: AlipayNotificationConfig,
): NotificationVerifier {
  const client =
    typeof key === 'string'
      ? { verifyNotification: (params: Readonly<Record<string, string>>) => verifyAlipayParams(params, key) }
      : key;
  return {
    channel: 'alipay',
    verifyNotification: (n) => new Promise((resolve) => resolve(verifyAlipayNotification(client, config, n))),
  };
}
