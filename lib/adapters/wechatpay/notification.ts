/**
 * WeChat Pay APIv3 notification verification, on the raw bytes:
 *   1. all four Wechatpay-* headers, timestamp within 300 s;  2. a known serial (platform certificate
 *   serial or PUB_KEY_ID_…, side by side);  3. RSA-SHA256 over "timestamp\nnonce\nbody\n";
 *   4. AES-256-GCM decryption with the tag checked;  5. mchid and appid are ours.
 * WeChat also sends deliberately mis-signed probes: they fail step 3 and are rejected like any forgery.
 */
import type { KeyObject } from 'node:crypto';
import { Aes, Formatter, Rsa } from './sdk';
import { NotificationRejectedError } from '../../domain/errors';
import { fen } from '../../domain/money';
import type { ProviderEvent, RawNotification } from '../../ports/payment-provider';

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

/** The decrypted resource fields medpay reads (transactions and refunds). */
interface DecryptedResource {
  mchid?: string;
  appid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  success_time?: string;
  out_refund_no?: string;
  refund_id?: string;
  amount?: { total?: number; refund?: number };
  /** Pay Score service orders. */
  order_id?: string;
  out_order_no?: string;
  state?: string;
  state_description?: string;
  risk_fund?: { amount?: number };
  total_amount?: number;
  collection?: {
    state?: string;
    paid_amount?: number;
    details?: Array<{ transaction_id?: string; paid_time?: string; amount?: number }>;
  };
}

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
  let valid = false;
  try {
    valid = Rsa.verify(Formatter.response(timestamp, nonce, body), signature, key);
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
  let plain: DecryptedResource;
  try {
    plain = JSON.parse(
      Aes.AesGcm.decrypt(
        resource.ciphertext,
        config.apiV3Key,
        resource.nonce,
        resource.associated_data ?? '',
      ),
    ) as DecryptedResource;
  } catch {
    throw reject(
      'BAD_CIPHERTEXT',
      'The resource did not decrypt with the APIv3 key (tag, nonce or associated data mismatch).',
    );
  }
  if (plain.mchid !== config.mchId || (plain.appid !== undefined && plain.appid !== config.appId)) {
    throw reject('WRONG_MERCHANT', 'The notification is for another merchant or app.', {
      mchid: plain.mchid,
      appid: plain.appid,
    });
  }
  return translate(envelope.id, envelope.event_type, plain);
}

function translate(notificationId: string, eventType: string, r: DecryptedResource): ProviderEvent {
  const channel = 'wechatpay' as const;
  try {
    if (eventType === 'TRANSACTION.SUCCESS') {
      if (r.appid === undefined || r.trade_state !== 'SUCCESS')
        throw new Error('not a successful transaction');
      return {
        kind: 'payment.succeeded',
        channel,
        notificationId,
        outTradeNo: required(r.out_trade_no, 'out_trade_no'),
        providerTradeNo: required(r.transaction_id, 'transaction_id'),
        amountFen: fen(r.amount?.total ?? Number.NaN),
        paidAt: validDate(r.success_time),
      };
    }
    if (eventType.startsWith('REFUND.')) {
      const succeeded = eventType === 'REFUND.SUCCESS';
      return {
        kind: succeeded ? 'refund.succeeded' : 'refund.failed',
        channel,
        notificationId,
        outTradeNo: required(r.out_trade_no, 'out_trade_no'),
        outRefundNo: required(r.out_refund_no, 'out_refund_no'),
        providerRefundId: r.refund_id === undefined ? undefined : String(r.refund_id),
        amountFen: fen(r.amount?.refund ?? Number.NaN),
        at: succeeded ? validDate(r.success_time) : new Date(),
      };
    }
    if (eventType === 'PAYSCORE.USER_CONFIRM') {
      return {
        kind: 'authorisation.confirmed',
        channel,
        notificationId,
        outOrderNo: required(r.out_order_no, 'out_order_no'),
        authNo: required(r.order_id, 'order_id'),
        authorisedFen: r.risk_fund?.amount === undefined ? undefined : fen(r.risk_fund.amount),
        // Pay Score is credit: nothing is frozen.
        creditFen: r.risk_fund?.amount === undefined ? undefined : fen(r.risk_fund.amount),
        at: new Date(),
      };
    }
    if (eventType === 'PAYSCORE.USER_PAID') {
      const paid = r.collection?.details?.at(-1);
      if (r.collection?.state !== 'USER_PAID') throw new Error('collection is not USER_PAID');
      return {
        kind: 'authorisation.captured',
        channel,
        notificationId,
        outOrderNo: required(r.out_order_no, 'out_order_no'),
        providerTradeNo: required(paid?.transaction_id, 'transaction_id'),
        amountFen: fen(r.collection.paid_amount ?? Number.NaN),
        at: paid?.paid_time ? validDate(paid.paid_time) : new Date(),
      };
    }
  } catch (error) {
    throw reject('MALFORMED', `The ${eventType} resource is incomplete: ${(error as Error).message}.`);
  }
  return { kind: 'ignored', channel, notificationId, reason: `event ${eventType} is not acted on` };
}

function required(value: string | undefined, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`no ${name}`);
  return value;
}

function validDate(value: unknown): Date {
  const d = new Date(String(value));
  if (Number.isNaN(d.getTime())) throw new Error('bad time');
  return d;
}
