/**
 * Conformance: 付款码 (B scans C) as the providers publish it, through the adapters against receivers built
 * here with node:crypto (not the sandbox), and the formats and schedule the domain takes from the sources.
 *
 * Facts:
 *   F1 WeChat payment codes: "18位纯数字，以10、11、12、13、14、15开头" (WeChat's 付款码 rules, quoted in
 *      cnblogs.com/westsoft/p/15140406.html, CODEFMT); the v3 codepay example payer.auth_code
 *      130061098828009406 (wechatpay-im/website openapi/v3/pay/transactions/codepay.md, I4).
 *   F2 Alipay payment codes: "25~30开头的长度为16~24位的数字" (AlipayTradePayModel.auth_code, alipay-sdk-java-all
 *      v2 @ 002e900, A11; its example 28763443825664394 in the SDK typings).
 *   W1 POST /v3/pay/transactions/codepay: appid, mchid, description, out_trade_no, payer.auth_code,
 *      amount {total, currency}, scene_info {device_id, store_info{id, out_id}} (required), no notify_url
 *      (I4; PowerWeChat PR #632 "这个接口不需要notify_url参数"); partner /v3/pay/partner/transactions/codepay with
 *      sp_appid (必填, partner page 2025-02-17; WXC4), sp_mchid, sub_mchid (I5).
 *   W2 the answer: trade_state SUCCESS with transaction_id, success_time, payer.openid, amount (I4's response
 *      fields); HTTP 202 with trade_state USERPAYING while the payer enters a password (binarywang/WxJava
 *      #4050, PR #4054); SYSTEM_ERROR 5xx: wait, then query (v2 付款码 page, WX-MP2); other 4xx: refused.
 *   W3 POST /v3/pay/transactions/out-trade-no/{no}/reverse with {appid, mchid} (I6); partner {sp_appid,
 *      sp_mchid, sub_mchid} (I7); refused while paying ("正在支付中不能发起撤销", WXC3): call again.
 *   A1 alipay.trade.pay: biz keys ⊆ AlipayTradePayModel (A11), scene bar_code, total_amount in yuan.
 *   A2 its code: 10000 paid (buyer_user_id, gmt_payment: alipay-easysdk AlipayTradePayResponse); 10003 "order
 *      success pay inprocess": query, never a failure (smartwalle/alipay #207, ISS-ALI); 20000 and
 *      ACQ.SYSTEM_ERROR: query (AL-ACQ); ACQ.PAYMENT_AUTH_CODE_INVALID 支付授权码无效: refused.
 *   A3 alipay.trade.cancel (AlipayTradeCancelResponse, A13): action close|refund, retry_flag Y: call again.
 *   W4 H5 (payment links): POST /v3/pay/transactions/h5 with scene_info {payer_client_ip, h5_info{type}}
 *      (pay.weixin.qq.com/wiki/doc/apiv3/wxpay/pay/transactions/chapter3_4.shtml; wechatpay-im
 *      openapi/v3/pay/transactions/h5.md) → h5_url, to which the merchant appends &redirect_url=<urlencoded>.
 *   A4 alipay.trade.wap.pay: biz keys ⊆ AlipayTradeWapPayModel (手机网站支付接口2.0), product_code
 *      QUICK_WAP_WAY, quit_url; return_url a public parameter; a page the browser opens at the gateway.
 *   S1 the schedule: WeChat every 10 s to 45 s (WX-MP2) or every 5 s to 30 s (WXC1, B3 §6); Alipay every
 *      3–6 s for about 60 s (AL-POLL): the default polls every 5 s, reverses WeChat at 45 s, Alipay at 60 s.
 */
import { createSign, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alipayClient } from '../../lib/adapters/alipay/client';
import { alipayProvider } from '../../lib/adapters/alipay/provider';
import { wechatpayProvider } from '../../lib/adapters/wechatpay/provider';
import { systemClock } from '../../lib/adapters/system/clock';
import { fen } from '../../lib/domain/money';
import { DEFAULT_PAYMENT_CODE_POLICY, paymentCodeChannel } from '../../lib/domain/payment-code';
import type { CodePayRequest } from '../../lib/ports/payment-provider';
import { rsaKeyPair } from '../support/provider-keys';
import { alipayGatewayReceiver } from './support/alipay';

const ALIPAY_TRADE_WAP_PAY_MODEL = new Set(
  'auth_token body business_params disable_pay_channels enable_pay_channels ext_user_info extend_params goods_detail goods_type invoice_info merchant_order_no out_trade_no passback_params product_code promo_params query_options quit_url royalty_info seller_id settle_info specified_channel store_id sub_merchant subject time_expire timeout_express total_amount'.split(
    ' ',
  ),
);
const ALIPAY_TRADE_PAY_MODEL = new Set(
  'advance_payment_type agreement_params alipay_store_id auth_code auth_confirm_mode auth_no bkagent_req_info body business_params buyer_id buyer_open_id disable_pay_channels discountable_amount ext_user_info extend_params goods_detail is_async_pay merchant_order_no operator_id out_trade_no passback_params pay_params product_code promo_params query_options request_org_pid royalty_info scene seller_id settle_currency settle_info store_id sub_merchant subject terminal_id terminal_params time_expire timeout_express total_amount trans_currency undiscountable_amount'.split(
    ' ',
  ),
);

const request: CodePayRequest = {
  outTradeNo: 'MP0001',
  amountFen: fen(100),
  description: '门诊缴费',
  authCode: '130061098828009406',
  counter: { staffId: 'clerk-1', deviceId: '013467007045764', windowId: 'A1111' },
};

describe('payment code formats (F1, F2)', () => {
  it('names the wallet of the published examples and of every published prefix and length', () => {
    expect(paymentCodeChannel('130061098828009406')).toBe('wechatpay');
    expect(paymentCodeChannel('28763443825664394')).toBe('alipay');
    for (const p of ['10', '11', '12', '13', '14', '15'])
      expect(paymentCodeChannel(`${p}${'0'.repeat(16)}`)).toBe('wechatpay');
    for (const p of ['25', '26', '27', '28', '29', '30'])
      for (const length of [16, 20, 24]) expect(paymentCodeChannel(p.padEnd(length, '7'))).toBe('alipay');
  });
  it('names no wallet for other prefixes, lengths or characters', () => {
    for (const bad of [
      '160061098828009406', // WeChat prefix 16
      '1300610988280094061', // 19 digits
      '13006109882800940', // 17 digits
      '3100000000000000', // Alipay prefix 31
      '240000000000000000', // prefix 24
      '280000000000000', // 15 digits
      '2800000000000000000000000', // 25 digits
      '13006109882800940a',
      'fp0000000000000000000000000000000000', // face codes are not taken here
      '',
    ])
      expect(paymentCodeChannel(bad)).toBeUndefined();
  });
});

describe('the schedule (S1)', () => {
  it('polls within every published interval and reverses at the published cut-offs', () => {
    expect(DEFAULT_PAYMENT_CODE_POLICY.pollMs).toBe(5_000); // WXC1 5 s; WX-MP2 ≤ 10 s; AL-POLL 3–6 s
    expect(DEFAULT_PAYMENT_CODE_POLICY.deadlineMs).toEqual({ wechatpay: 45_000, alipay: 60_000 });
    // The request's own wait stays under API Gateway's 30 s integration limit.
    expect(DEFAULT_PAYMENT_CODE_POLICY.waitMs).toBeLessThan(30_000);
  });
});

describe('WeChat Pay v3 付款码 (W1–W3)', () => {
  const merchant = rsaKeyPair();
  const platform = rsaKeyPair();
  const serial = 'PUB_KEY_ID_0112345678902024110100000000';
  const calls: Array<{ method: string; path: string; body: Record<string, any> }> = [];
  let answer: { status: number; body?: object } = { status: 200 };
  let server: Server;
  let baseURL = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        calls.push({ method: req.method ?? '', path: req.url ?? '', body: text ? JSON.parse(text) : {} });
        const body = answer.body ? JSON.stringify(answer.body) : '';
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomBytes(16).toString('hex');
        const signature = createSign('RSA-SHA256')
          .update(`${timestamp}\n${nonce}\n${body}\n`)
          .sign(platform.privateKey, 'base64');
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          'wechatpay-timestamp': timestamp,
          'wechatpay-nonce': nonce,
          'wechatpay-signature': signature,
          'wechatpay-serial': serial,
        });
        res.end(body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseURL = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const provider = (partner = false) =>
    wechatpayProvider(
      {
        mchId: '1230000109',
        appId: 'wxd678efh567hg6787',
        merchantSerial: 'ABCDEF',
        merchantPrivateKey: merchant.privateKey,
        apiV3Key: randomBytes(16).toString('hex'),
        platformKeys: { [serial]: platform.publicKey },
        baseURL,
        notifyUrl: 'https://h/webhooks/wechatpay',
        timeoutMs: 2_000,
      },
      systemClock,
      partner ? { subMchId: '1900000101', hospitalId: 'east' } : undefined,
    );
  const transaction = (state: string) => ({
    appid: 'wxd678efh567hg6787',
    mchid: '1230000109',
    out_trade_no: 'MP0001',
    transaction_id: '1217752501201407033233368018',
    trade_type: 'MICROPAY',
    trade_state: state,
    ...(state === 'SUCCESS' ? { success_time: '2026-12-06T10:34:56+08:00' } : {}),
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
  });

  it('W1: sends the published fields and no notify_url; the partner call names sp_appid', async () => {
    answer = { status: 200, body: transaction('SUCCESS') };
    await provider().payByCode(request);
    const direct = calls.at(-1);
    expect(direct?.path).toBe('/v3/pay/transactions/codepay');
    expect(direct?.body).toEqual({
      appid: 'wxd678efh567hg6787',
      mchid: '1230000109',
      description: '门诊缴费',
      out_trade_no: 'MP0001',
      payer: { auth_code: '130061098828009406' },
      amount: { total: 100, currency: 'CNY' },
      scene_info: { device_id: '013467007045764', store_info: { out_id: 'A1111' } },
    });
    await provider(true).payByCode(request);
    const partner = calls.at(-1);
    expect(partner?.path).toBe('/v3/pay/partner/transactions/codepay');
    expect(partner?.body).toMatchObject({
      sp_appid: 'wxd678efh567hg6787',
      sp_mchid: '1230000109',
      sub_mchid: '1900000101',
    });
    expect(partner?.body).not.toHaveProperty('notify_url');
  });

  it('W2: 200 SUCCESS is paid, by the openid; 202 USERPAYING is undecided; 5xx is unknown; another 4xx is refused', async () => {
    answer = { status: 200, body: transaction('SUCCESS') };
    expect(await provider().payByCode(request)).toMatchObject({
      status: 'PAID',
      providerTradeNo: '1217752501201407033233368018',
      amountFen: 100,
      payerId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      paidAt: new Date('2026-12-06T02:34:56Z'),
    });
    answer = { status: 202, body: transaction('USERPAYING') };
    expect(await provider().payByCode(request)).toMatchObject({ status: 'PENDING' });
    answer = { status: 500, body: { code: 'SYSTEM_ERROR', message: '系统错误' } };
    expect(await provider().payByCode(request)).toEqual({ status: 'PENDING' });
    answer = { status: 400, body: { code: 'INVALID_REQUEST', message: '付款码不存在或无法支付' } };
    expect(await provider().payByCode(request)).toMatchObject({
      status: 'CLOSED',
      refused: { code: 'INVALID_REQUEST', message: '付款码不存在或无法支付' },
    });
  });

  it('W2: the query reads USERPAYING as undecided and REVOKED as closed', async () => {
    answer = { status: 200, body: transaction('USERPAYING') };
    expect((await provider().queryOrder('MP0001')).status).toBe('PENDING');
    answer = { status: 200, body: transaction('REVOKED') };
    expect((await provider().queryOrder('MP0001')).status).toBe('CLOSED');
  });

  it("W4: an H5 order carries the payer's IP and h5_info, and the way back is appended to h5_url", async () => {
    answer = {
      status: 200,
      body: { h5_url: 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1' },
    };
    const created = await provider().createOrder({
      outTradeNo: 'MP0002',
      amountFen: fen(100),
      description: '检查费',
      expiresAt: new Date('2026-12-06T12:00:00+08:00'),
      mode: 'h5',
      clientIp: '14.23.150.211',
      returnUrl: 'https://pay.h.cn/pay/default/tok',
    });
    expect(calls.at(-1)).toMatchObject({
      path: '/v3/pay/transactions/h5',
      body: {
        out_trade_no: 'MP0002',
        notify_url: 'https://h/webhooks/wechatpay',
        scene_info: { payer_client_ip: '14.23.150.211', h5_info: { type: 'Wap' } },
      },
    });
    expect(created.clientParams.h5Url).toBe(
      'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&redirect_url=https%3A%2F%2Fpay.h.cn%2Fpay%2Fdefault%2Ftok',
    );
  });

  it('W3: reverses with the merchant named in the body; a refusal while paying is called again', async () => {
    answer = {
      status: 200,
      body: { appid: 'wxd678efh567hg6787', mchid: '1230000109', out_trade_no: 'MP0001' },
    };
    expect(await provider().reverseOrder('MP0001')).toBe('done');
    expect(calls.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v3/pay/transactions/out-trade-no/MP0001/reverse',
      body: { appid: 'wxd678efh567hg6787', mchid: '1230000109' },
    });
    expect(await provider(true).reverseOrder('MP0001')).toBe('done');
    expect(calls.at(-1)).toMatchObject({
      path: '/v3/pay/partner/transactions/out-trade-no/MP0001/reverse',
      body: { sp_appid: 'wxd678efh567hg6787', sp_mchid: '1230000109', sub_mchid: '1900000101' },
    });
    answer = { status: 400, body: { code: 'USERPAYING', message: '正在支付中不能发起撤销' } };
    expect(await provider().reverseOrder('MP0001')).toBe('retry');
  });
});

describe('Alipay 当面付 条码支付 (A1–A3)', () => {
  const app = rsaKeyPair();
  const alipay = rsaKeyPair();
  let answer: Record<string, unknown> = {};
  let receiver: Awaited<ReturnType<typeof alipayGatewayReceiver>>;
  let gateway = '';
  beforeAll(async () => {
    receiver = await alipayGatewayReceiver(alipay.privateKey, () => answer);
    gateway = receiver.gateway;
  });
  afterAll(() => receiver.close());
  const provider = () =>
    alipayProvider(
      alipayClient({
        mode: 'public-key',
        appId: '2021000000000001',
        appPrivateKey: app.privateKey,
        alipayPublicKey: alipay.publicKey,
        gateway,
      }),
      { appId: '2021000000000001', sellerId: '2088000000000001', notifyUrl: 'https://h/webhooks/alipay' },
    );
  const code = { ...request, authCode: '28763443825664394' };

  it('A1: trade.pay carries scene bar_code, the code, yuan and the counter, all fields of AlipayTradePayModel', async () => {
    answer = { code: '10000', msg: 'Success', trade_no: 'T1', out_trade_no: 'MP0001', total_amount: '1.00' };
    await provider().payByCode(code);
    const call = receiver.calls.at(-1);
    expect(call?.method).toBe('alipay.trade.pay');
    expect(call?.params.notify_url).toBe('https://h/webhooks/alipay');
    for (const k of Object.keys(call?.biz ?? {})) expect(ALIPAY_TRADE_PAY_MODEL.has(k)).toBe(true);
    expect(call?.biz).toEqual({
      out_trade_no: 'MP0001',
      scene: 'bar_code',
      auth_code: '28763443825664394',
      total_amount: '1.00',
      subject: '门诊缴费',
      terminal_id: '013467007045764',
      operator_id: 'clerk-1',
      store_id: 'A1111',
    });
  });

  it('A2: 10000 is paid by buyer_user_id; 10003, 20000 and ACQ.SYSTEM_ERROR are undecided; an invalid code is refused', async () => {
    answer = {
      code: '10000',
      msg: 'Success',
      trade_no: '2026120622001400000000000001',
      out_trade_no: 'MP0001',
      buyer_logon_id: 'fam***@example.com',
      buyer_user_id: '2088000000009999',
      total_amount: '1.00',
      receipt_amount: '1.00',
      gmt_payment: '2026-12-06 10:34:56',
    };
    expect(await provider().payByCode(code)).toMatchObject({
      status: 'PAID',
      providerTradeNo: '2026120622001400000000000001',
      amountFen: 100,
      payerId: '2088000000009999',
      paidAt: new Date('2026-12-06T02:34:56Z'),
    });
    for (const undecided of [
      { code: '10003', msg: 'order success pay inprocess', trade_no: 'T1', out_trade_no: 'MP0001' },
      { code: '20000', msg: 'Service Currently Unavailable', sub_code: 'isp.unknow-error' },
      { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.SYSTEM_ERROR', sub_msg: '系统错误' },
    ]) {
      answer = undecided;
      expect(await provider().payByCode(code)).toEqual({ status: 'PENDING' });
    }
    answer = {
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'ACQ.PAYMENT_AUTH_CODE_INVALID',
      sub_msg: '支付授权码无效',
    };
    expect(await provider().payByCode(code)).toMatchObject({
      status: 'CLOSED',
      refused: { code: 'ACQ.PAYMENT_AUTH_CODE_INVALID', message: '支付授权码无效' },
    });
  });

  it('A4: wap.pay is a signed page URL at the gateway, with QUICK_WAP_WAY and the way back', async () => {
    const { clientParams } = await provider().createOrder({
      outTradeNo: 'MP0003',
      amountFen: fen(1234),
      description: '检查费',
      expiresAt: new Date('2026-12-06T12:00:00+08:00'),
      mode: 'h5',
      clientIp: '14.23.150.211',
      returnUrl: 'https://pay.h.cn/pay/default/tok',
    });
    const url = new URL(clientParams.payUrl ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(receiver.gateway);
    expect(url.searchParams.get('method')).toBe('alipay.trade.wap.pay');
    expect(url.searchParams.get('return_url')).toBe('https://pay.h.cn/pay/default/tok');
    expect(url.searchParams.get('notify_url')).toBe('https://h/webhooks/alipay');
    expect(url.searchParams.get('sign_type')).toBe('RSA2');
    const biz = JSON.parse(url.searchParams.get('biz_content') ?? '{}') as Record<string, unknown>;
    for (const k of Object.keys(biz)) expect(ALIPAY_TRADE_WAP_PAY_MODEL.has(k)).toBe(true);
    expect(biz).toMatchObject({
      out_trade_no: 'MP0003',
      total_amount: '12.34',
      product_code: 'QUICK_WAP_WAY',
      quit_url: 'https://pay.h.cn/pay/default/tok',
    });
  });

  it('A3: cancel is done on action close or refund, and called again on retry_flag Y', async () => {
    for (const action of ['close', 'refund']) {
      answer = {
        code: '10000',
        msg: 'Success',
        trade_no: 'T1',
        out_trade_no: 'MP0001',
        retry_flag: 'N',
        action,
      };
      expect(await provider().reverseOrder('MP0001')).toBe('done');
      expect(receiver.calls.at(-1)).toMatchObject({
        method: 'alipay.trade.cancel',
        biz: { out_trade_no: 'MP0001' },
      });
    }
    answer = { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.SYSTEM_ERROR', retry_flag: 'Y' };
    expect(await provider().reverseOrder('MP0001')).toBe('retry');
  });
});
