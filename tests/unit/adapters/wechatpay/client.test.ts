/**
 * The lean APIv3 client against wechatpay-axios-plugin (a dev dependency, the community SDK WeChat Pay's
 * documentation lists) and WeChat Pay's documented rules: the same signing message and Authorization, the
 * same AES-GCM resource format, and no answer believed without a valid platform signature.
 */
import { createVerify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rsaKeyPair } from '../../../support/provider-keys';
import {
  aesGcmDecrypt,
  lines,
  wechatAuthorization,
  wechatpayApi,
  type WechatpayConfig,
} from '../../../../lib/adapters/wechatpay/client';
import { ProviderUnavailableError } from '../../../../lib/domain/errors';

const merchant = rsaKeyPair();
const platform = rsaKeyPair();
const apiV3Key = 'a'.repeat(16) + 'B'.repeat(16);
const serial = 'PUB_KEY_ID_0112345678902024110100000001';

describe('request signing', () => {
  it("builds the documented message: 'GET\\n/v3/certificates\\n1554208460\\n593BEC…\\n\\n'", () => {
    // pay.weixin.qq.com 签名生成: the example request GET /v3/certificates at 1554208460 with that nonce.
    expect(lines('GET', '/v3/certificates', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', '')).toBe(
      'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    );
    expect(lines('GET', '/v3/certificates', '1554208460', 'n', '')).toBe(
      Formatter.request('GET', '/v3/certificates', '1554208460', 'n', ''),
    );
  });

  it('signs the same message as the plugin and names the same fields in Authorization', () => {
    const request = {
      method: 'POST',
      pathAndQuery: '/v3/pay/transactions/jsapi',
      body: '{"appid":"wxd678efh567hg6787","amount":{"total":100,"currency":"CNY"}}',
      timestamp: '1554208460',
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
    };
    const header = wechatAuthorization(
      {
        mchId: '1900007291',
        merchantSerial: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
        merchantPrivateKey: merchant.privateKey,
      },
      request,
    );
    expect(header.startsWith('WECHATPAY2-SHA256-RSA2048 ')).toBe(true);
    const fields = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const signature = Rsa.sign(
      Formatter.request(request.method, request.pathAndQuery, request.timestamp, request.nonce, request.body),
      merchant.privateKey,
    );
    expect(fields).toEqual({
      mchid: '1900007291',
      nonce_str: request.nonce,
      signature,
      timestamp: request.timestamp,
      serial_no: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
    });
  });
});

describe('aesGcmDecrypt', () => {
  it('opens what the plugin seals (AEAD_AES_256_GCM, tag after the ciphertext) and nothing altered', () => {
    const sealed = Aes.AesGcm.encrypt('{"out_trade_no":"P1"}', apiV3Key, 'fdasflkja484', 'transaction');
    expect(aesGcmDecrypt(sealed, apiV3Key, 'fdasflkja484', 'transaction')).toBe('{"out_trade_no":"P1"}');
    expect(() => aesGcmDecrypt(sealed, apiV3Key, 'fdasflkja484', 'refund')).toThrow();
  });
});

describe('wechatpayApi', () => {
  const seen: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[] = [];
  let answer: (res: ServerResponse, body: string) => void = () => undefined;
  let base = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      answer(res, body);
    });
  });
  /** Answers as WeChat Pay does: JSON signed with the platform key under `serial`. */
  const signed =
    (
      status: number,
      json: string,
      opts: { key?: string; serial?: string; timestamp?: number; sent?: string } = {},
    ) =>
    (res: ServerResponse) => {
      const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
      const nonce = 'c5ac7061fccab6bf3e254dcf98995b8c';
      res.writeHead(status, {
        'content-type': 'application/json',
        'wechatpay-timestamp': timestamp,
        'wechatpay-nonce': nonce,
        'wechatpay-serial': opts.serial ?? serial,
        'wechatpay-signature': Rsa.sign(
          Formatter.response(timestamp, nonce, json),
          opts.key ?? platform.privateKey,
        ),
      });
      res.end(opts.sent ?? json);
    };
  const config = (): WechatpayConfig => ({
    mchId: '1900007291',
    appId: 'wxd678efh567hg6787',
    merchantSerial: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
    merchantPrivateKey: merchant.privateKey,
    apiV3Key,
    platformKeys: { [serial]: platform.publicKey },
    baseURL: base,
    notifyUrl: 'https://medpay.example/webhooks/wechatpay',
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends a request whose Authorization verifies with the merchant key over the documented message', async () => {
    answer = signed(200, '{"prepay_id":"wx201410272009395522657a690389285100"}');
    seen.length = 0;
    const r = await wechatpayApi(config())('createOrder', 'POST', '/v3/pay/transactions/jsapi', {
      amount: { total: 1 },
    });
    expect(r).toEqual({ status: 200, data: { prepay_id: 'wx201410272009395522657a690389285100' } });
    const { method, url, body, headers } = seen[0]!;
    const f = Object.fromEntries(
      [...String(headers.authorization).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    expect(
      createVerify('RSA-SHA256')
        .update(Formatter.request(method, url, f.timestamp, f.nonce_str, body))
        .verify(merchant.publicKey, f.signature, 'base64'),
    ).toBe(true);
    expect(headers.accept).toContain('application/json');
    expect(headers['user-agent']).toBeTruthy();
  });

  it('refuses a 2xx that is tampered, unsigned, under an unknown serial, signed by another key or stale', async () => {
    const json = '{"trade_state":"SUCCESS","amount":{"total":100}}';
    const cases: ((res: ServerResponse) => void)[] = [
      signed(200, json, { sent: json.replace('100', '1') }),
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(json),
      signed(200, json, { serial: 'PUB_KEY_ID_UNKNOWN' }),
      signed(200, json, { key: merchant.privateKey }),
      signed(200, json, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ];
    for (const c of cases) {
      answer = (res) => c(res);
      await expect(
        wechatpayApi(config())('queryOrder', 'GET', '/v3/pay/transactions/out-trade-no/P1?mchid=1900007291'),
      ).rejects.toThrow(ProviderUnavailableError);
    }
  });

  it('returns 4xx business answers, and treats 5xx and 429 as "retry later"', async () => {
    answer = (res) =>
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"code":"ORDERPAID","message":"订单已支付"}');
    await expect(
      wechatpayApi(config())('createOrder', 'POST', '/v3/pay/transactions/jsapi', {}),
    ).resolves.toEqual({
      status: 400,
      code: 'ORDERPAID',
      message: '订单已支付',
    });
    for (const status of [500, 429]) {
      answer = (res) => res.writeHead(status).end('{"code":"SYSTEM_ERROR","message":"系统错误"}');
      await expect(
        wechatpayApi(config())('refund', 'POST', '/v3/refund/domestic/refunds', {}),
      ).rejects.toThrow(ProviderUnavailableError);
    }
  });

  it('downloads a bill with a signed request and gives the bytes back unverified (hash_value checks them)', async () => {
    answer = (res) =>
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0x1f, 0x8b, 1]));
    seen.length = 0;
    const bytes = await wechatpayApi(config()).download('billdownload', '/v3/billdownload/file?token=abc');
    expect([...bytes]).toEqual([0x1f, 0x8b, 1]);
    expect(seen[0]!.url).toBe('/v3/billdownload/file?token=abc');
    expect(String(seen[0]!.headers.authorization)).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900007291"/);
  });
});
