/**
 * The lean Alipay gateway client against alipay-sdk 4.x (Alipay's official Node SDK, a dev dependency) and
 * Alipay's documented rules: the same signature over the same parameters, responses verified over the raw
 * `<method>_response` text, and nothing believed without Alipay's signature.
 */
import { createSign } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rsaKeyPair } from '../../../support/provider-keys';
import { alipayClient, alipaySignContent, rawJsonObject } from '../../../../lib/adapters/alipay/client';
import { ProviderUnavailableError } from '../../../../lib/domain/errors';

const app = rsaKeyPair();
const platform = rsaKeyPair();
const sign = (text: string, key = platform.privateKey) =>
  createSign('RSA-SHA256').update(text, 'utf8').sign(key, 'base64');
const appId = '2021000122671080';
/** alipay-sdk as its README configures it (its key formatter wants PEMs without a trailing newline). */
const officialSdk = () =>
  new AlipaySdk({
    appId,
    privateKey: app.privateKey.trim(),
    keyType: 'PKCS8',
    alipayPublicKey: platform.publicKey.trim(),
  });

describe('request signing', () => {
  it('signs the same content as alipay-sdk: the same parameters give the same signature', () => {
    const official = officialSdk();
    const orderString = official.sdkExecute(
      'alipay.fund.auth.order.app.freeze',
      {
        notifyUrl: 'https://medpay.example/webhooks/alipay',
        bizContent: { out_order_no: 'V1', amount: '2000.00', order_title: '住院押金 & 检查' },
      },
      { bizContentAutoSnakeCase: false },
    );
    const params = Object.fromEntries(new URLSearchParams(orderString));
    expect(sign(alipaySignContent(params, ['sign']), app.privateKey)).toBe(params.sign);

    const ours = Object.fromEntries(
      new URLSearchParams(
        alipayClient({
          mode: 'public-key',
          appId,
          appPrivateKey: app.privateKey,
          alipayPublicKey: platform.publicKey,
          gateway: 'http://127.0.0.1:9/gateway.do',
        }).orderString(
          'alipay.fund.auth.order.app.freeze',
          { out_order_no: 'V1', amount: '2000.00', order_title: '住院押金 & 检查' },
          'https://medpay.example/webhooks/alipay',
        ),
      ),
    );
    expect(Object.keys(ours).sort()).toEqual(Object.keys(params).sort());
    expect(ours.biz_content).toBe(params.biz_content);
    expect(sign(alipaySignContent(ours, ['sign']), app.privateKey)).toBe(ours.sign);
    // timestamp: "yyyy-MM-dd HH:mm:ss", Beijing time (UTC+8), whatever the machine's zone.
    const beijing = new Date(`${ours.timestamp!.replace(' ', 'T')}+08:00`).getTime();
    expect(Math.abs(beijing - Date.now())).toBeLessThan(60_000);
  });
});

describe('rawJsonObject', () => {
  it("takes the response node's exact text, braces and quotes inside strings included", () => {
    const node = '{"code":"10000","msg":"Success","subject":"a } \\"sign\\" {","total_amount":"88.88"}';
    const text = `{"alipay_trade_query_response":${node},"sign":"x"}`;
    expect(rawJsonObject(text, 'alipay_trade_query_response')).toBe(node);
    expect(rawJsonObject(text, 'error_response')).toBeUndefined();
  });
});

describe('exec', () => {
  const requests: { url: string; body: string; headers: IncomingMessage['headers'] }[] = [];
  let respond: (method: string) => string = () => '';
  let gateway = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', body, headers: req.headers });
      const method = new URL(req.url ?? '', 'http://x').searchParams.get('method') ?? '';
      res.setHeader('content-type', 'text/html;charset=utf-8');
      res.end(respond(method));
    });
  });
  const client = () =>
    alipayClient({
      mode: 'public-key',
      appId,
      appPrivateKey: app.privateKey,
      alipayPublicKey: platform.publicKey,
      gateway,
    });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway.do`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the common parameters in the query and biz_content in the form, as alipay-sdk does', async () => {
    const node = '{"code":"10000","msg":"Success","trade_status":"TRADE_SUCCESS","total_amount":"88.88"}';
    respond = () => `{"alipay_trade_query_response":${node},"sign":"${sign(node)}"}`;
    requests.length = 0;
    const r = await client().exec('alipay.trade.query', { out_trade_no: 'P1' });
    expect(r).toMatchObject({ code: '10000', trade_status: 'TRADE_SUCCESS', total_amount: '88.88' });
    const { url, body } = requests[0]!;
    const query = Object.fromEntries(new URL(url, 'http://x').searchParams);
    const form = Object.fromEntries(new URLSearchParams(body));
    expect(Object.keys(form)).toEqual(['biz_content']);
    expect(JSON.parse(form.biz_content!)).toEqual({ out_trade_no: 'P1' });
    expect(query).toMatchObject({
      app_id: appId,
      method: 'alipay.trade.query',
      sign_type: 'RSA2',
      charset: 'utf-8',
    });
    const all = { ...query, ...form };
    expect(
      createSign('RSA-SHA256')
        .update(alipaySignContent(all, ['sign']), 'utf8')
        .sign(app.privateKey, 'base64'),
    ).toBe(query.sign);
  });

  it('believes no answer without a valid signature over the node: tampered, unsigned or signed by another key', async () => {
    const node = '{"code":"10000","msg":"Success","total_amount":"88.88"}';
    const cases = [
      `{"alipay_trade_query_response":${node.replace('88.88', '0.01')},"sign":"${sign(node)}"}`,
      `{"alipay_trade_query_response":${node}}`,
      `{"alipay_trade_query_response":${node},"sign":"${sign(node, app.privateKey)}"}`,
      'not json',
    ];
    for (const answer of cases) {
      respond = () => answer;
      await expect(client().exec('alipay.trade.query', { out_trade_no: 'P1' })).rejects.toThrow(
        ProviderUnavailableError,
      );
    }
  });

  it('returns only the text the signature covers, even when the answer repeats the key after it', async () => {
    const node = '{"code":"10000","msg":"Success","trade_status":"WAIT_BUYER_PAY","total_amount":"88.88"}';
    const evil = '{"code":"10000","msg":"Success","trade_status":"TRADE_SUCCESS","total_amount":"0.01"}';
    respond = () =>
      `{"alipay_trade_query_response":${node},"sign":"${sign(node)}","alipay_trade_query_response":${evil}}`;
    await expect(client().exec('alipay.trade.query', { out_trade_no: 'P1' })).resolves.toMatchObject({
      trade_status: 'WAIT_BUYER_PAY',
      total_amount: '88.88',
    });
  });

  it('reads a signed error_response (unknown method, bad arguments) as a business answer', async () => {
    const node =
      '{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id","sub_msg":"无效的AppID参数"}';
    respond = () => `{"error_response":${node},"sign":"${sign(node)}"}`;
    await expect(client().exec('alipay.trade.query', { out_trade_no: 'P1' })).resolves.toMatchObject({
      code: '40002',
      sub_code: 'isv.invalid-app-id',
    });
  });
});

describe('verifyNotification', () => {
  const c = alipayClient({
    mode: 'public-key',
    appId,
    appPrivateKey: app.privateKey,
    alipayPublicKey: platform.publicKey,
    gateway: 'http://127.0.0.1:9/gateway.do',
  });
  const params = { app_id: appId, out_trade_no: 'P1', total_amount: '88.88', trade_status: 'TRADE_SUCCESS' };

  it('checks the signature over every parameter but sign and sign_type, as Alipay documents', () => {
    const signature = sign(alipaySignContent(params, []));
    expect(c.verifyNotification({ ...params, sign_type: 'RSA2', sign: signature })).toBe(true);
    expect(
      c.verifyNotification({ ...params, total_amount: '0.01', sign_type: 'RSA2', sign: signature }),
    ).toBe(false);
    expect(c.verifyNotification({ ...params, sign_type: 'RSA2' })).toBe(false);
  });

  it('agrees with alipay-sdk checkNotifySignV2 on the same notification', () => {
    const official = officialSdk();
    const withType = { ...params, sign_type: 'RSA2' };
    for (const signature of [sign(alipaySignContent(params, [])), sign(alipaySignContent(withType, []))]) {
      const n = { ...withType, sign: signature };
      expect(c.verifyNotification(n)).toBe(official.checkNotifySignV2(n));
    }
  });
});
