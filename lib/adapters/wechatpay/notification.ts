/**
 * WeChat Pay APIv3 notification verification, on the raw bytes:
 *   1. all four Wechatpay-* headers, timestamp within 300 s;  2. a known serial (platform certificate
 *   serial or PUB_KEY_ID_…, side by side);  3. RSA-SHA256 over "timestamp\nnonce\nbody\n";
 *   4. AES-256-GCM decryption with the tag checked;  5. mchid and appid are ours.
 * WeChat also sends deliberately mis-signed probes: they fail step 3 and are rejected like any forgery.
 */
import type { KeyObject } from 'node:crypto';
import { medInsOrderState } from './med-ins-orders';
import { wechatRefundDestination } from './refunds';
import { splitTotal } from '../../domain/insurance';
import { NotificationRejectedError } from '../../domain/errors';
import { fen } from '../../domain/money';
import type { Clock } from '../../ports/clock';
import type { NotificationVerifier, ProviderEvent, RawNotification } from '../../ports/payment-provider';
import { aesGcmDecrypt, lines, parseWechatTime, wechatVerify } from './client';
import { isCanonicalBase64 } from '../encoding';

/** What verification needs: our ids, the APIv3 key and the platform public keys by serial. */
export interface WechatpayNotificationConfig {
  readonly mchId: string;
  readonly appId: string;
  /** The 32-byte APIv3 key. */
  readonly apiV3Key: string;
  /** Public keys by serial: platform certificate serials and `PUB_KEY_ID_…` ids, both accepted. */
  readonly platformKeys: Readonly<Record<string, string | KeyObject>>;
  readonly toleranceSec?: number;
}

/** A decrypted resource: a JSON object whose fields are read and checked one by one. */
type DecryptedResource = Record<string, unknown>;

interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
}

const header = (headers: RawNotification['headers'], name: string): string | undefined => {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
};

const reject = (
  reason: ConstructorParameters<typeof NotificationRejectedError>[0],
  message: string,
  context = {},
) => new NotificationRejectedError(reason, message, { channel: 'wechatpay', ...context });

/** Verifies a WeChat Pay notification and translates it; throws NotificationRejectedError otherwise. */
export function verifyWechatpayNotification(
  config: WechatpayNotificationConfig,
  raw: RawNotification,
  now: Date,
): ProviderEvent {
  const timestamp = header(raw.headers, 'wechatpay-timestamp');
  const nonce = header(raw.headers, 'wechatpay-nonce');
  const signature = header(raw.headers, 'wechatpay-signature');
  const serial = header(raw.headers, 'wechatpay-serial');
  if (!timestamp || !nonce || !signature || !serial) {
    throw reject('MISSING_HEADERS', 'Wechatpay-Timestamp, -Nonce, -Signature and -Serial are all required.');
  }
  const tolerance = config.toleranceSec ?? 300;
  if (
    !/^\d{1,12}$/.test(timestamp) ||
    Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > tolerance
  ) {
    throw reject('STALE_TIMESTAMP', `Wechatpay-Timestamp must be within ${tolerance} s of now.`, {
      timestamp,
    });
  }
  const key = Object.hasOwn(config.platformKeys, serial) ? config.platformKeys[serial] : undefined;
  if (!key)
    throw reject(
      'UNKNOWN_SERIAL',
      `Wechatpay-Serial ${serial} is not a known platform certificate or public key id.`,
      { serial },
    );

  const body = raw.body.toString('utf8');
  // Node's base64 decoder skips stray characters, so only the canonical spelling of a signature is read.
  if (!isCanonicalBase64(signature))
    throw reject('BAD_SIGNATURE', 'Wechatpay-Signature is not canonical base64.', { serial });
  let valid = false;
  try {
    valid = wechatVerify(lines(timestamp, nonce, body), signature, key);
  } catch {
    valid = false;
  }
  if (!valid)
    throw reject(
      'BAD_SIGNATURE',
      'The signature does not match the raw body; verify the exact bytes received.',
      { serial },
    );

  let envelope: { id?: string; event_type?: string; resource?: EncryptedResource };
  try {
    envelope = JSON.parse(body) as typeof envelope;
  } catch {
    throw reject('MALFORMED', 'The notification body is not JSON.');
  }
  const resource = envelope.resource;
  if (!envelope.id || !envelope.event_type || !resource || resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw reject('MALFORMED', 'The notification lacks id, event_type or an AEAD_AES_256_GCM resource.');
  }
  let plain: unknown;
  try {
    plain = JSON.parse(
      aesGcmDecrypt(resource.ciphertext, config.apiV3Key, resource.nonce, resource.associated_data ?? ''),
    );
  } catch {
    throw reject(
      'BAD_CIPHERTEXT',
      'The resource did not decrypt with the APIv3 key (tag, nonce or associated data mismatch).',
    );
  }
  // Authentic ciphertext can still hold something that is not a resource object (null, a number, an array).
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    throw reject('MALFORMED', 'The decrypted resource is not a JSON object.');
  const r = plain as DecryptedResource;
  if (COMPLAINT_EVENTS.has(envelope.event_type)) return complaintChanged(envelope.id, envelope.event_type, r);
  // A partner-mode resource names the service provider as sp_mchid (and sp_appid) and the hospital's
  // sub-merchant as sub_mchid ("服务商支付成功会带上 sp_mchid 及 sub_mchid"; the partner payment notice,
  // pay.weixin.qq.com/wiki/doc/apiv3/wxpay/pay/transactions/chapter5_11.shtml; REFUND.* likewise, I10).
  // A partner Pay Score service order names the service provider as mchid and appid beside sub_mchid
  // (the partner service order's ServiceOrderEntity: appid, mchid, sub_appid, sub_mchid, in the Go sample of
  // pay.weixin.qq.com/docs/partner/apis/partner-weixin-pay-score/partner-service-order/
  // get-partner-service-order.html; its notifications carry the order, /doc/v3/partner/4012155296).
  const partner = r.sp_mchid !== undefined || r.sub_mchid !== undefined;
  const spMchId = r.sp_mchid ?? r.mchid;
  const spAppId = r.sp_appid ?? (r.sp_mchid === undefined ? r.appid : undefined);
  // MEDICAL_INSURANCE.SUCCESS names the app and not the merchant (W4's field list has appid, no mchid).
  const medIns = envelope.event_type === 'MEDICAL_INSURANCE.SUCCESS';
  const ours = partner
    ? (spMchId === config.mchId || (medIns && spMchId === undefined)) &&
      (spAppId === undefined || spAppId === config.appId) &&
      typeof r.sub_mchid === 'string' &&
      r.sub_mchid !== ''
    : medIns
      ? r.appid === config.appId && (r.mchid === undefined || r.mchid === config.mchId)
      : r.mchid === config.mchId && (r.appid === undefined || r.appid === config.appId);
  if (!ours) {
    throw reject('WRONG_MERCHANT', 'The notification is for another merchant or app.', {
      mchid: r.sp_mchid ?? r.mchid,
      appid: r.sp_appid ?? r.appid,
    });
  }
  const event = translate(envelope.id, envelope.event_type, partner ? asMerchantResource(r) : r);
  return partner ? { ...event, subMerchant: String(r.sub_mchid) } : event;
}

/** The complaint notifications (COMPLAINT.CREATE, COMPLAINT.STATE_CHANGE). */
const COMPLAINT_EVENTS = new Set(['COMPLAINT.CREATE', 'COMPLAINT.STATE_CHANGE']);

/**
 * A complaint notification (投诉通知回调, pay.weixin.qq.com/docs/merchant/apis/consumer-complaint/
 * complaint-notifications/complaint-notifications.html; wechatpay-im/website webhook/v3/COMPLAINT.CREATE.md,
 * fact C1): the resource holds complaint_id and action_type only, and names no merchant, so the merchant is
 * checked against the complaint's complainted_mchid once the use case has queried it.
 */
function complaintChanged(notificationId: string, eventType: string, r: DecryptedResource): ProviderEvent {
  if (typeof r.complaint_id !== 'string' || r.complaint_id === '' || typeof r.action_type !== 'string')
    throw reject('MALFORMED', `The ${eventType} resource lacks complaint_id or action_type.`);
  return {
    kind: 'complaint.changed',
    channel: 'wechatpay',
    notificationId,
    complaintId: r.complaint_id,
    action: r.action_type,
  };
}

/**
 * A partner-mode resource in the direct-mode shape translate() reads: appid from sp_appid, the payer's
 * openid from payer.sp_openid or payer.sub_openid.
 */
function asMerchantResource(r: DecryptedResource): DecryptedResource {
  const payer = r.payer as { sp_openid?: unknown; sub_openid?: unknown; openid?: unknown } | undefined;
  return {
    ...r,
    appid: r.sp_appid ?? r.sub_appid,
    ...(payer ? { payer: { openid: payer.sp_openid ?? payer.sub_openid ?? payer.openid } } : {}),
  };
}

/**
 * Translates a decrypted resource. Field names, enums and formats follow WeChat Pay's published
 * notifications (pay.weixin.qq.com/docs/merchant/apis/…):
 *   - TRANSACTION.SUCCESS (jsapi-payment/payment-notice): trade_state SUCCESS, amount.total (fen),
 *     amount.currency "CNY", transaction_id, success_time RFC 3339;
 *   - REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED (the official-doc REFUND resource example):
 *     refund_status of the same name, out_trade_no, transaction_id, out_refund_no, refund_id,
 *     amount.{total,refund,payer_total,payer_refund}, success_time only on SUCCESS; no appid;
 *   - MEDICAL_INSURANCE.SUCCESS (wechatpay-skills med_ins_success_callback.md, W4): the mixed order's
 *     fields, mix_pay_status MIX_PAY_SUCCESS, the amounts in fen, paid_time RFC 3339;
 *   - PAYSCORE.USER_CONFIRM and PAYSCORE.USER_PAID (weixin-pay-score/confirm-notification and
 *     success-notification): the service order, risk_fund.amount, collection.{state,paid_amount,details[]},
 *     and times as yyyyMMddHHmmss (collection.details[].paid_time "20091225091210").
 */
function translate(notificationId: string, eventType: string, r: DecryptedResource): ProviderEvent {
  const channel = 'wechatpay' as const;
  try {
    if (eventType === 'TRANSACTION.SUCCESS') {
      if (r.appid === undefined || r.trade_state !== 'SUCCESS')
        throw new Error('not a successful transaction');
      const amount = object(r.amount, 'amount');
      return {
        kind: 'payment.succeeded',
        channel,
        notificationId,
        outTradeNo: text(r.out_trade_no, 'out_trade_no'),
        providerTradeNo: text(r.transaction_id, 'transaction_id'),
        amountFen: fen(amount.total as number),
        currency: text(amount.currency, 'amount.currency'),
        payerId:
          r.payer === undefined ? undefined : optionalText(object(r.payer, 'payer').openid, 'payer.openid'),
        paidAt: time(r.success_time, 'success_time'),
      };
    }
    if (eventType === 'REFUND.SUCCESS' || eventType === 'REFUND.ABNORMAL' || eventType === 'REFUND.CLOSED') {
      const status = eventType.slice('REFUND.'.length);
      if (r.refund_status !== undefined && r.refund_status !== status)
        throw new Error(`refund_status ${JSON.stringify(r.refund_status)} under ${eventType}`);
      const amount = object(r.amount, 'amount');
      // The notification names the account only (no channel field in the REFUND resource, N2).
      const destination = wechatRefundDestination(undefined, r.user_received_account);
      return {
        kind:
          status === 'SUCCESS'
            ? 'refund.succeeded'
            : status === 'CLOSED'
              ? 'refund.failed'
              : 'refund.abnormal',
        channel,
        notificationId,
        outTradeNo: text(r.out_trade_no, 'out_trade_no'),
        outRefundNo: text(r.out_refund_no, 'out_refund_no'),
        providerRefundId: optionalText(r.refund_id, 'refund_id'),
        providerTradeNo: optionalText(r.transaction_id, 'transaction_id'),
        amountFen: fen(amount.refund as number),
        paymentTotalFen: fen(amount.total as number),
        at: status === 'SUCCESS' ? time(r.success_time, 'success_time') : new Date(),
        ...(destination ? { destination } : {}),
      };
    }
    if (eventType === 'MEDICAL_INSURANCE.SUCCESS') {
      // W4 (med_ins_success_callback.md): sent once, at mix_pay_status MIX_PAY_SUCCESS only.
      const state = medInsOrderState(r);
      if (state.status !== 'PAID') throw new Error(`mix_pay_status ${JSON.stringify(r.mix_pay_status)}`);
      if (!state.split || state.totalFen === undefined || !state.channelOrderNo || !state.outTradeNo)
        throw new Error('amounts, mix_trade_no or out_trade_no missing');
      // W1 §4: total_fee = the insured parts + wechat_pay_cash_fee + Σcash_reduce_fee.
      if (splitTotal(state.split) !== state.totalFen)
        throw new Error('amounts break the mixed-order identity');
      return {
        kind: 'insurance.succeeded',
        channel,
        notificationId,
        outTradeNo: state.outTradeNo,
        channelOrderNo: state.channelOrderNo,
        totalFen: state.totalFen,
        split: state.split,
        ...(state.cashAdjustments ? { cashAdjustments: state.cashAdjustments } : {}),
        ...(state.payOrdId ? { payOrdId: state.payOrdId } : {}),
        payerId: optionalText(r.openid, 'openid'),
        paidAt: state.paidAt ?? time(r.paid_time, 'paid_time'),
      };
    }
    if (eventType === 'PAYSCORE.USER_CONFIRM') {
      const risk = r.risk_fund === undefined ? undefined : object(r.risk_fund, 'risk_fund');
      const riskFen = risk?.amount === undefined ? undefined : fen(risk.amount as number);
      return {
        kind: 'authorisation.confirmed',
        channel,
        notificationId,
        outOrderNo: text(r.out_order_no, 'out_order_no'),
        authNo: text(r.order_id, 'order_id'),
        authorisedFen: riskFen,
        // Pay Score is credit: nothing is frozen.
        creditFen: riskFen,
        at: new Date(),
      };
    }
    if (eventType === 'PAYSCORE.USER_PAID') {
      const collection = object(r.collection, 'collection');
      if (collection.state !== 'USER_PAID') throw new Error('collection is not USER_PAID');
      const details = Array.isArray(collection.details) ? (collection.details as unknown[]) : [];
      const paid = details.length > 0 ? object(details.at(-1), 'collection.details[]') : undefined;
      return {
        kind: 'authorisation.captured',
        channel,
        notificationId,
        outOrderNo: text(r.out_order_no, 'out_order_no'),
        providerTradeNo: text(paid?.transaction_id, 'transaction_id'),
        amountFen: fen(collection.paid_amount as number),
        at: paid?.paid_time === undefined ? new Date() : time(paid.paid_time, 'paid_time'),
      };
    }
  } catch (error) {
    throw reject('MALFORMED', `The ${eventType} resource is incomplete: ${(error as Error).message}.`);
  }
  return { kind: 'ignored', channel, notificationId, reason: `event ${eventType} is not acted on` };
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`no ${name}`);
  return value as Record<string, unknown>;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`no ${name}`);
  return value;
}

function optionalText(value: unknown, name: string): string | undefined {
  return value === undefined ? undefined : text(value, name);
}

function time(value: unknown, name: string): Date {
  const d = parseWechatTime(value);
  if (!d) throw new Error(`${name} ${JSON.stringify(value)} is neither RFC 3339 nor yyyyMMddHHmmss`);
  return d;
}

/** The webhook's verifier: the APIv3 key, the platform public keys and our ids; never the merchant key. */
export function wechatpayNotificationVerifier(
  config: WechatpayNotificationConfig,
  clock: Clock,
): NotificationVerifier {
  return {
    channel: 'wechatpay',
    verifyNotification: (n) =>
      new Promise((resolve) => resolve(verifyWechatpayNotification(config, n, clock.now()))),
  };
}
