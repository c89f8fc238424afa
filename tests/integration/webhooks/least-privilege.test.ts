/**
 * The webhooks verify with their channel's verification keys alone (#12): built from a configuration
 * whose private keys and token secret do not exist, they still verify authentic notifications, while the
 * payment part, which signs, cannot even start. So their IAM roles can leave every private key out.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/config';
import { buildPaymentProviders } from '../../../lib/config/providers';
import { buildVerifiers } from '../../../lib/config/webhooks';
import { buildDeps } from '../../../lib/config/container';
import { systemClock } from '../../../lib/adapters/system/clock';
import { rsaKeyPair } from '../../support/provider-keys';
import { alipayNotificationBody } from '../../conformance/support/alipay';
import { wechatNotification } from '../../conformance/support/wechatpay';

const dir = mkdtempSync(join(tmpdir(), 'medpay-verifiers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alipayPlatform = rsaKeyPair();
const wechatPlatform = rsaKeyPair();
const apiV3Key = randomBytes(16).toString('hex'); // 32 characters
const file = (name: string, content: string) => {
  writeFileSync(join(dir, name), content);
  return `file:${join(dir, name)}`;
};
const missing = `file:${join(dir, 'never-written.pem')}`;

const config = loadConfig({
  TABLE_NAME: 'medpay-test',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  AUTH_HS256_SECRET: missing,
  ALIPAY_APP_ID: '2021004100000001',
  ALIPAY_SELLER_ID: '2088721000000001',
  ALIPAY_GATEWAY: 'https://openapi.alipay.com/gateway.do',
  ALIPAY_APP_PRIVATE_KEY: missing,
  ALIPAY_PUBLIC_KEY: file('alipay-public.pem', alipayPlatform.publicKey),
  ALIPAY_NOTIFY_URL: 'https://pay.hospital.example.cn/webhooks/alipay',
  WECHATPAY_MCH_ID: '1900000109',
  WECHATPAY_APP_ID: 'wx8888888888888888',
  WECHATPAY_BASE_URL: 'https://api.mch.weixin.qq.com/',
  WECHATPAY_MERCHANT_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  WECHATPAY_MERCHANT_PRIVATE_KEY: missing,
  WECHATPAY_APIV3_KEY: file('apiv3-key', apiV3Key),
  WECHATPAY_PLATFORM_KEYS: `PUB_KEY_ID_01=${file('wechat-public.pem', wechatPlatform.publicKey)}`,
  WECHATPAY_NOTIFY_URL: 'https://pay.hospital.example.cn/webhooks/wechatpay',
});

describe('webhook verifiers', () => {
  it('verify both channels without any private key or the token secret', async () => {
    const deps = await buildDeps(config, {}, { providers: buildVerifiers });
    expect('providers' in deps).toBe(false);

    const alipay = await deps.verifiers.alipay?.verifyNotification({
      headers: {},
      body: alipayNotificationBody(
        {
          notify_time: '2026-11-25 10:00:08',
          notify_type: 'trade_status_sync',
          notify_id: 'n-least-privilege',
          charset: 'utf-8',
          version: '1.0',
          app_id: '2021004100000001',
          seller_id: '2088721000000001',
          trade_no: '2026112522001400000000000001',
          out_trade_no: 'MP-least-privilege',
          buyer_id: '2088102122524333',
          trade_status: 'TRADE_SUCCESS',
          total_amount: '25.00',
          gmt_payment: '2026-11-25 10:00:07',
        },
        alipayPlatform.privateKey,
      ),
    });
    expect(alipay).toMatchObject({
      kind: 'payment.succeeded',
      outTradeNo: 'MP-least-privilege',
      amountFen: 2500,
    });

    const raw = wechatNotification(
      { apiV3Key, serial: 'PUB_KEY_ID_01', platformPrivateKey: wechatPlatform.privateKey },
      'TRANSACTION.SUCCESS',
      {
        appid: 'wx8888888888888888',
        mchid: '1900000109',
        out_trade_no: 'MP-least-privilege-w',
        transaction_id: '4200000000202611250000000001',
        trade_type: 'JSAPI',
        trade_state: 'SUCCESS',
        trade_state_desc: '支付成功',
        bank_type: 'OTHERS',
        success_time: '2026-11-25T10:00:07+08:00',
        payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
        amount: { total: 2500, payer_total: 2500, currency: 'CNY', payer_currency: 'CNY' },
      },
    );
    const wechat = await deps.verifiers.wechatpay?.verifyNotification(raw);
    expect(wechat).toMatchObject({ kind: 'payment.succeeded', outTradeNo: 'MP-least-privilege-w' });
  });

  it('refuse a notification signed with another key', async () => {
    const { verifiers } = await buildVerifiers(config, systemClock);
    const forged = alipayNotificationBody(
      { notify_id: 'n-forged', app_id: '2021004100000001', sign_type: 'RSA2', out_trade_no: 'MP-x' },
      rsaKeyPair().privateKey,
    );
    await expect(verifiers?.alipay?.verifyNotification({ headers: {}, body: forged })).rejects.toMatchObject({
      reason: 'BAD_SIGNATURE',
    });
  });

  it('while the payment part, which signs, needs the private keys', async () => {
    await expect(buildPaymentProviders(config, systemClock)).rejects.toThrow(/ENOENT/);
  });
});
