import { createCipheriv, createSign, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  verifyWechatpayNotification,
  type WechatpayNotificationConfig,
} from '../../../../lib/adapters/wechatpay/notification';
import { NotificationRejectedError } from '../../../../lib/domain/errors';
import { rsaKeyPair } from '../../../support/provider-keys';

const certKey = rsaKeyPair();
const pubKeyIdKey = rsaKeyPair();
const attacker = rsaKeyPair();
const CERT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const PUB_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const apiV3Key = randomBytes(16).toString('hex'); // 32 ASCII characters
const config: WechatpayNotificationConfig = {
  mchId: '1900000109',
  appId: 'wxd678efh567hg6787',
  apiV3Key,
  platformKeys: { [CERT_SERIAL]: certKey.publicKey, [PUB_KEY_ID]: pubKeyIdKey.publicKey },
};
const now = new Date('2026-03-01T02:00:00Z');
const nowSec = Math.floor(now.getTime() / 1000);

/** Encrypts a resource exactly as WeChat Pay documents it, with node:crypto only. */
function encrypt(resource: object, { key = apiV3Key, aad = 'transaction' } = {}) {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce)).setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([
    cipher.update(JSON.stringify(resource)),
    cipher.final(),
    cipher.getAuthTag(),
  ]).toString('base64');
  return {
    original_type: 'transaction',
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext,
    associated_data: aad,
    nonce,
  };
}

const transaction = (overrides: Record<string, unknown> = {}) => ({
  appid: config.appId,
  mchid: config.mchId,
  out_trade_no: 'MPpay01J0000000000000000000',
  transaction_id: '4200000000202603010000000001',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'OTHERS',
  success_time: '2026-03-01T09:59:58+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 2500, payer_total: 2500, currency: 'CNY', payer_currency: 'CNY' },
  ...overrides,
});

/** A signed notification: headers plus raw body bytes. */
function notification(
  resource: object,
  {
    eventType = 'TRANSACTION.SUCCESS',
    serial = CERT_SERIAL,
    signer = certKey.privateKey,
    timestamp = nowSec,
    resourceOverride,
  }: {
    eventType?: string;
    serial?: string;
    signer?: string;
    timestamp?: number;
    resourceOverride?: object;
  } = {},
) {
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2026-03-01T10:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: '支付成功',
    resource: resourceOverride ?? encrypt(resource),
  });
  const nonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256')
    .update(`${timestamp}\n${nonce}\n${body}\n`)
    .sign(signer, 'base64');
  return {
    headers: {
      'Wechatpay-Timestamp': String(timestamp),
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': serial,
    } as Record<string, string | undefined>,
    body: Buffer.from(body),
  };
}

const rejection = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NotificationRejectedError);
    return (error as NotificationRejectedError).reason;
  }
  throw new Error('expected a rejection');
};

describe('verifyWechatpayNotification', () => {
  it('accepts an independently produced TRANSACTION.SUCCESS under a platform certificate serial', () => {
    expect(verifyWechatpayNotification(config, notification(transaction()), now)).toEqual({
      kind: 'payment.succeeded',
      channel: 'wechatpay',
      notificationId: 'EV-2018022511223320873',
      outTradeNo: 'MPpay01J0000000000000000000',
      providerTradeNo: '4200000000202603010000000001',
      amountFen: 2500,
      currency: 'CNY',
      payerId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      paidAt: new Date('2026-03-01T01:59:58Z'),
    });
  });

  it('accepts a PUB_KEY_ID_ serial side by side with certificate serials', () => {
    const event = verifyWechatpayNotification(
      config,
      notification(transaction(), { serial: PUB_KEY_ID, signer: pubKeyIdKey.privateKey }),
      now,
    );
    expect(event.kind).toBe('payment.succeeded');
  });

  it('rejects the same notification with a single byte of the body changed', () => {
    const n = notification(transaction());
    const tampered = Buffer.from(n.body);
    const i = tampered.indexOf('EV-');
    tampered[i] = 'F'.charCodeAt(0);
    expect(rejection(() => verifyWechatpayNotification(config, { ...n, body: tampered }, now))).toBe(
      'BAD_SIGNATURE',
    );
  });

  it.each([
    ['signed by another key', { signer: attacker.privateKey }, 'BAD_SIGNATURE'],
    ['signed with the key of the other serial', { serial: PUB_KEY_ID }, 'BAD_SIGNATURE'],
    ['from an unknown serial', { serial: 'PUB_KEY_ID_0000000000000000000000000000' }, 'UNKNOWN_SERIAL'],
    ['301 s old', { timestamp: nowSec - 301 }, 'STALE_TIMESTAMP'],
    ['301 s in the future', { timestamp: nowSec + 301 }, 'STALE_TIMESTAMP'],
  ])('rejects a notification %s', (_name, options, reason) => {
    expect(
      rejection(() => verifyWechatpayNotification(config, notification(transaction(), options), now)),
    ).toBe(reason);
  });

  it('accepts a timestamp just inside the 300 s window', () => {
    expect(
      verifyWechatpayNotification(config, notification(transaction(), { timestamp: nowSec - 300 }), now).kind,
    ).toBe('payment.succeeded');
  });

  it.each(['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'])(
    'rejects a notification without %s',
    (name) => {
      const n = notification(transaction());
      const headers = { ...n.headers, [name]: undefined };
      expect(rejection(() => verifyWechatpayNotification(config, { ...n, headers }, now))).toBe(
        'MISSING_HEADERS',
      );
    },
  );

  it("rejects WeChat's deliberately mis-signed probe", () => {
    const n = notification(transaction());
    const headers = {
      ...n.headers,
      'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${n.headers['Wechatpay-Signature']}`,
    };
    expect(rejection(() => verifyWechatpayNotification(config, { ...n, headers }, now))).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('rejects a correctly signed body whose GCM tag, key or associated data is wrong', () => {
    const good = encrypt(transaction());
    const raw = Buffer.from(good.ciphertext, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 0x01;
    for (const resourceOverride of [
      { ...good, ciphertext: raw.toString('base64') },
      encrypt(transaction(), { key: randomBytes(16).toString('hex') }),
      { ...good, associated_data: 'refund' },
    ]) {
      expect(
        rejection(() => verifyWechatpayNotification(config, notification({}, { resourceOverride }), now)),
      ).toBe('BAD_CIPHERTEXT');
    }
  });

  it.each([
    ['mchid', { mchid: '1900000999' }],
    ['appid', { appid: 'wx0000000000000000' }],
  ])('rejects a correctly signed notification for another %s', (_name, overrides) => {
    expect(
      rejection(() => verifyWechatpayNotification(config, notification(transaction(overrides)), now)),
    ).toBe('WRONG_MERCHANT');
  });

  it('rejects a fractional or missing amount as malformed', () => {
    for (const amount of [{ total: 25.5 }, {}]) {
      expect(
        rejection(() => verifyWechatpayNotification(config, notification(transaction({ amount })), now)),
      ).toBe('MALFORMED');
    }
  });

  it('translates REFUND.SUCCESS, REFUND.ABNORMAL and REFUND.CLOSED, and ignores events it does not act on', () => {
    const refund = {
      mchid: config.mchId,
      out_trade_no: 'MPpay01J0000000000000000000',
      transaction_id: '4200000000202603010000000001',
      out_refund_no: 'MRrfd01J0000000000000000000',
      refund_id: '50000000382019052709732678859',
      refund_status: 'SUCCESS',
      success_time: '2026-03-01T10:05:00+08:00',
      amount: { total: 2500, refund: 1000, payer_total: 2500, payer_refund: 1000 },
    };
    expect(
      verifyWechatpayNotification(config, notification(refund, { eventType: 'REFUND.SUCCESS' }), now),
    ).toMatchObject({
      kind: 'refund.succeeded',
      outRefundNo: 'MRrfd01J0000000000000000000',
      amountFen: 1000,
      at: new Date('2026-03-01T02:05:00Z'),
    });
    expect(
      verifyWechatpayNotification(
        config,
        notification({ ...refund, refund_status: 'ABNORMAL' }, { eventType: 'REFUND.ABNORMAL' }),
        now,
      ).kind,
    ).toBe('refund.abnormal');
    expect(
      verifyWechatpayNotification(
        config,
        notification({ ...refund, refund_status: 'CLOSED' }, { eventType: 'REFUND.CLOSED' }),
        now,
      ).kind,
    ).toBe('refund.failed');
    expect(
      verifyWechatpayNotification(
        config,
        notification(transaction(), { eventType: 'TRANSACTION.CLOSED' }),
        now,
      ).kind,
    ).toBe('ignored');
  });

  describe('Pay Score (PAYSCORE.USER_CONFIRM, PAYSCORE.USER_PAID)', () => {
    const serviceOrder = (overrides: Record<string, unknown> = {}) => ({
      appid: config.appId,
      mchid: config.mchId,
      out_order_no: 'VAis01JVISIT0000000000000002',
      service_id: '500001000000000000000000000001',
      order_id: '15646546545165651651',
      state: 'DOING',
      state_description: 'USER_CONFIRM',
      risk_fund: { name: 'ESTIMATE_ORDER_COST', amount: 200_000 },
      openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      ...overrides,
    });

    it('translates the patient confirming the service order', () => {
      const n = notification(serviceOrder(), { eventType: 'PAYSCORE.USER_CONFIRM' });
      expect(verifyWechatpayNotification(config, n, now)).toMatchObject({
        kind: 'authorisation.confirmed',
        outOrderNo: 'VAis01JVISIT0000000000000002',
        authNo: '15646546545165651651',
        authorisedFen: 200_000,
      });
    });

    it('translates a collected order with its transaction, and refuses one still collecting', () => {
      const paid = serviceOrder({
        state: 'DONE',
        total_amount: 18_400,
        collection: {
          state: 'USER_PAID',
          total_amount: 18_400,
          paid_amount: 18_400,
          details: [
            {
              seq: 1,
              amount: 18_400,
              paid_type: 'NEWTON',
              paid_time: '2026-11-24T10:00:05+08:00',
              transaction_id: '4200000000202611240000000001',
            },
          ],
        },
      });
      expect(
        verifyWechatpayNotification(config, notification(paid, { eventType: 'PAYSCORE.USER_PAID' }), now),
      ).toMatchObject({
        kind: 'authorisation.captured',
        outOrderNo: 'VAis01JVISIT0000000000000002',
        providerTradeNo: '4200000000202611240000000001',
        amountFen: 18_400,
        at: new Date('2026-11-24T02:00:05Z'),
      });
      const paying = serviceOrder({ collection: { state: 'USER_PAYING', paid_amount: 0, details: [] } });
      expect(
        rejection(() =>
          verifyWechatpayNotification(config, notification(paying, { eventType: 'PAYSCORE.USER_PAID' }), now),
        ),
      ).toBe('MALFORMED');
    });
  });
});
