/**
 * Conformance: the providers' error codes that mean "already done" or "query and retry", answered by a
 * stub that speaks each provider's documented error format, through the real adapters over HTTP.
 *
 * Facts:
 *   E1 WeChat Pay APIv3 answers with an HTTP status and a JSON body {"code","message"}: 4xx are business
 *      errors, 5xx system errors to retry with the same parameters (错误码篇,
 *      pay.weixin.qq.com/wiki/doc/api/wxpay/ch/pages/ico-guide/chapter1_6.shtml; the tradebill page lists
 *      "500 SYSTEM_ERROR 系统异常，请使用相同参数稍后重新调用"). FREQUENCY_LIMITED is HTTP 429 and was not
 *      processed: query, then retry (WeChat Pay's answer in developers.weixin.qq.com/community/pay/doc/
 *      00082c33108b60f232c2013986bc00). ORDERPAID (400, "订单已支付") is in the order and close APIs' error
 *      tables: the order is paid, so it must be queried.
 *   E2 Alipay answers HTTP 200 with `<method>_response` {code, msg, sub_code, sub_msg} signed by Alipay;
 *      code 20000 is "服务不可用 … 稍后重试" (公共错误码, opendocs.alipay.com/open/common/105806); the trade APIs'
 *      example answer is sub_code ACQ.TRADE_HAS_SUCCESS "交易已被支付" (opendocs.alipay.com/apis/api_1/
 *      alipay.trade.create); on SYSTEM_ERROR "retry with the same parameters, or query"
 *      (docs.antom.com/ac/barcode_cn/error_handling).
 *   E3 alipay.fund.auth.operation.detail.query (docs.antom.com/ac/solution_api/detail-query, the same API as
 *      docs.open.alipay.com/api_28/alipay.fund.auth.operation.detail.query): order_status INIT / AUTHORIZED
 *      / FINISH / CLOSED, auth_no, total_freeze_amount and credit_amount in yuan, gmt_trans
 *      `yyyy-MM-dd HH:mm:ss`; sub_code AUTH_ORDER_NOT_EXIST when there is no such authorisation.
 */
import { createServer, type Server } from 'node:http';
import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alipayClient } from '../../lib/adapters/alipay/client';
import { alipayCreditProvider } from '../../lib/adapters/alipay/credit';
import { alipayProvider } from '../../lib/adapters/alipay/provider';
import { systemClock } from '../../lib/adapters/system/clock';
import { wechatpayProvider } from '../../lib/adapters/wechatpay/provider';
import { ProviderUnavailableError } from '../../lib/domain/errors';
import { fen } from '../../lib/domain/money';
import { rsaKeyPair } from '../support/provider-keys';

type Answer = { status: number; body: string };
let answer: (method: string, path: string, form: URLSearchParams) => Answer;
let server: Server;
let base = '';
const alipayKey = rsaKeyPair();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const form = new URLSearchParams(
        url.pathname.includes('gateway')
          ? `${url.search.slice(1)}&${Buffer.concat(chunks).toString('utf8')}`
          : '',
      );
      const a = answer(req.method ?? 'GET', url.pathname, form);
      res.writeHead(a.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Answers every Alipay method with `response`, signed as Alipay signs it. */
const alipayAlways =
  (response: Record<string, string>) =>
  (_method: string, _path: string, form: URLSearchParams): Answer =>
    alipayAnswer(String(form.get('method')), response);

/** An Alipay gateway answer, signed over the exact JSON text of the response object (E2). */
function alipayAnswer(method: string, response: Record<string, string>): Answer {
  const text = JSON.stringify(response);
  const sign = createSign('RSA-SHA256').update(text, 'utf8').sign(alipayKey.privateKey, 'base64');
  return { status: 200, body: `{"${method.replaceAll('.', '_')}_response":${text},"sign":"${sign}"}` };
}

const wechat = () =>
  wechatpayProvider(
    {
      mchId: '1230000109',
      appId: 'wxd678efh567hg6787',
      merchantSerial: 'ABCDEF0123456789',
      merchantPrivateKey: rsaKeyPair().privateKey,
      apiV3Key: '0123456789abcdef0123456789abcdef',
      platformKeys: { PUB_KEY_ID_0000: rsaKeyPair().publicKey },
      baseURL: `${base}/`,
      notifyUrl: 'https://hospital.example/webhooks/wechatpay',
      timeoutMs: 2_000,
    },
    systemClock,
  );
const alipaySdk = () =>
  alipayClient({
    mode: 'public-key',
    appId: '2021000122671080',
    appPrivateKey: rsaKeyPair().privateKey,
    alipayPublicKey: alipayKey.publicKey,
    gateway: `${base}/gateway.do`,
  });
const alipay = () =>
  alipayProvider(alipaySdk(), {
    appId: '2021000122671080',
    sellerId: '2088102177846875',
    notifyUrl: 'https://hospital.example/webhooks/alipay',
  });
const order = (payer: Record<string, string>) => ({
  outTradeNo: 'MPERR1',
  amountFen: fen(2500),
  description: '挂号费',
  payer: payer as never,
  expiresAt: new Date(Date.now() + 600_000),
  mode: 'mini-program' as const,
});
const refund = {
  outTradeNo: 'MPERR1',
  outRefundNo: 'MRERR1',
  amountFen: fen(1000),
  totalFen: fen(2500),
  reason: '退号',
};

describe('provider error codes (conformance)', () => {
  it('E1: WeChat ORDERPAID on a repeated order says "already paid", so the caller queries instead of failing', async () => {
    answer = () => ({ status: 400, body: '{"code":"ORDERPAID","message":"该订单已支付"}' });
    expect(await wechat().createOrder(order({ wechatOpenId: 'o1' }))).toEqual({
      clientParams: {},
      alreadyPaid: true,
    });
  });

  it('E1: WeChat SYSTEM_ERROR (500) and FREQUENCY_LIMITED (429) are "retry later", never a failed refund', async () => {
    for (const a of [
      { status: 500, body: '{"code":"SYSTEM_ERROR","message":"系统错误"}' },
      { status: 429, body: '{"code":"FREQUENCY_LIMITED","message":"频率超限"}' },
    ]) {
      answer = () => a;
      await expect(wechat().refund(refund)).rejects.toBeInstanceOf(ProviderUnavailableError);
      await expect(wechat().queryOrder('MPERR1')).rejects.toBeInstanceOf(ProviderUnavailableError);
    }
  });

  it('E2: Alipay ACQ.TRADE_HAS_SUCCESS on a repeated order says "already paid"', async () => {
    answer = alipayAlways({
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'ACQ.TRADE_HAS_SUCCESS',
      sub_msg: '交易已被支付',
    });
    expect(await alipay().createOrder(order({ alipayUserId: '2088102122524333' }))).toEqual({
      clientParams: {},
      alreadyPaid: true,
    });
  });

  it('E2: Alipay ACQ.SYSTEM_ERROR on a refund is followed by a refund query, whose answer decides', async () => {
    const asked: string[] = [];
    answer = (_m, _p, form) => {
      const method = String(form.get('method'));
      asked.push(method);
      return method === 'alipay.trade.refund'
        ? alipayAnswer(method, {
            code: '20000',
            msg: 'Service Currently Unavailable',
            sub_code: 'ACQ.SYSTEM_ERROR',
            sub_msg: '系统错误',
          })
        : alipayAnswer(method, {
            code: '10000',
            msg: 'Success',
            out_trade_no: 'MPERR1',
            out_request_no: 'MRERR1',
            refund_amount: '10.00',
            total_amount: '25.00',
            refund_status: 'REFUND_SUCCESS',
            gmt_refund_pay: '2026-11-23 11:30:00',
          });
    };
    expect(await alipay().refund(refund)).toMatchObject({ status: 'SUCCEEDED' });
    expect(asked).toEqual(['alipay.trade.refund', 'alipay.trade.fastpay.refund.query']);
  });

  it('E2: Alipay ACQ.SYSTEM_ERROR on a query is "retry later"', async () => {
    answer = alipayAlways({
      code: '20000',
      msg: 'Service Currently Unavailable',
      sub_code: 'ACQ.SYSTEM_ERROR',
      sub_msg: '系统错误',
    });
    await expect(alipay().queryOrder('MPERR1')).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('E3: an Alipay fund authorisation query answer is read as documented', async () => {
    const credit = alipayCreditProvider(alipaySdk(), {
      sellerId: '2088102177846875',
      notifyUrl: 'https://hospital.example/webhooks/alipay',
    });
    answer = alipayAlways({
      code: '10000',
      msg: 'Success',
      auth_no: '2026112310002001000000000001',
      out_order_no: 'VAERR1',
      operation_id: '20261123000000000001',
      out_request_no: 'VFERR1',
      operation_type: 'FREEZE',
      amount: '2000.00',
      status: 'SUCCESS',
      gmt_create: '2026-11-23 10:00:00',
      gmt_trans: '2026-11-23 10:00:01',
      order_status: 'AUTHORIZED',
      total_freeze_amount: '2000.00',
      rest_amount: '2000.00',
      credit_amount: '2000.00',
      fund_amount: '0.00',
    });
    expect(await credit.queryAuthorisation('VAERR1', 'VFERR1')).toEqual({
      status: 'AUTHORISED',
      authNo: '2026112310002001000000000001',
      authorisedFen: 200000,
      creditFen: 200000,
      confirmedAt: new Date('2026-11-23T02:00:01Z'),
    });
    answer = alipayAlways({
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'AUTH_ORDER_NOT_EXIST',
      sub_msg: '授权单不存在',
    });
    expect(await credit.queryAuthorisation('VAERR2', 'VFERR2')).toEqual({ status: 'NOT_FOUND' });
  });
});
