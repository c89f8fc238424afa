/**
 * Secrets, read well (#19): a payment function's keys all live in SSM, and Parameter Store throttles its
 * first three calls. The function still composes on its first request, every key is read with
 * GetParameters in ⌈n/10⌉ calls, and a second composition inside the TTL reads nothing again.
 * SSM is a local HTTP server speaking the AWS JSON 1.1 protocol; the calls are signed by the SDK's signer.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/config';
import { buildDeps } from '../../../lib/config/container';
import { buildPaymentProviders } from '../../../lib/config/providers';
import { clearSecretCache } from '../../../lib/config/secrets';
import { rsaKeyPair } from '../../support/provider-keys';

const merchant = rsaKeyPair();
const alipayApp = rsaKeyPair();
const platform = rsaKeyPair();
const values: Record<string, string> = {
  '/medpay/t/alipay-app-private-key': alipayApp.privateKey,
  '/medpay/t/alipay-public-key': platform.publicKey,
  '/medpay/t/wechatpay-merchant-private-key': merchant.privateKey,
  '/medpay/t/wechatpay-apiv3-key': randomBytes(16).toString('hex'),
};
// Twelve platform keys (a migration keeps old certificates beside PUB_KEY_ID_… keys): 16 names in all.
const platformKeys = Array.from({ length: 12 }, (_, i) => `PUB_KEY_ID_${String(i).padStart(2, '0')}`);
for (const id of platformKeys) values[`/medpay/t/wechatpay-platform-key-${id}`] = platform.publicKey;

const calls: { target: string; names: string[]; signed: boolean; body: string; type: string }[] = [];
let throttles = 0;
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    const { Names = [] } = JSON.parse(body) as { Names?: string[] };
    calls.push({
      target: String(req.headers['x-amz-target']),
      names: Names,
      body,
      type: String(req.headers['content-type']),
      signed: /^AWS4-HMAC-SHA256 Credential=AKIDTEST\//.test(String(req.headers.authorization)),
    });
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    if (throttles < 3) {
      throttles += 1;
      res.statusCode = 400;
      res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      return;
    }
    res.end(
      JSON.stringify({
        Parameters: Names.filter((n) => n in values).map((Name) => ({
          Name,
          Type: 'SecureString',
          Value: values[Name],
        })),
        InvalidParameters: Names.filter((n) => !(n in values)),
      }),
    );
  });
});

const saved = { ...process.env };
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_SSM = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
  clearSecretCache();
});
afterAll(async () => {
  process.env = saved;
  clearSecretCache();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const config = () =>
  loadConfig({
    TABLE_NAME: 'medpay-test',
    AWS_REGION: 'cn-north-1',
    AUTH_HS256_SECRET: 'ssm:/medpay/t/jwt-secret-never-read',
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    ALIPAY_APP_ID: '2021004100000001',
    ALIPAY_SELLER_ID: '2088721000000001',
    ALIPAY_GATEWAY: 'https://openapi.alipay.com/gateway.do',
    ALIPAY_APP_PRIVATE_KEY: 'ssm:/medpay/t/alipay-app-private-key',
    ALIPAY_PUBLIC_KEY: 'ssm:/medpay/t/alipay-public-key',
    ALIPAY_NOTIFY_URL: 'https://pay.hospital.example.cn/webhooks/alipay',
    WECHATPAY_MCH_ID: '1900000109',
    WECHATPAY_APP_ID: 'wx8888888888888888',
    WECHATPAY_BASE_URL: 'https://api.mch.weixin.qq.com/',
    WECHATPAY_MERCHANT_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    WECHATPAY_MERCHANT_PRIVATE_KEY: 'ssm:/medpay/t/wechatpay-merchant-private-key',
    WECHATPAY_APIV3_KEY: 'ssm:/medpay/t/wechatpay-apiv3-key',
    WECHATPAY_PLATFORM_KEYS: platformKeys
      .map((id) => `${id}=ssm:/medpay/t/wechatpay-platform-key-${id}`)
      .join(','),
    WECHATPAY_NOTIFY_URL: 'https://pay.hospital.example.cn/webhooks/wechatpay',
  });

describe('secrets from Parameter Store', () => {
  it('survive three throttled calls, and are read with GetParameters in ⌈n/10⌉ calls of at most 10 names', async () => {
    const deps = await buildDeps(config(), {}, { providers: buildPaymentProviders });
    expect(Object.keys(deps.providers).sort()).toEqual(['alipay', 'wechatpay']);
    expect(throttles).toBe(3);
    expect(calls.every((c) => c.target === 'AmazonSSM.GetParameters' && c.signed)).toBe(true);
    expect(calls.every((c) => c.names.length <= 10)).toBe(true);
    const answered = calls.slice(3);
    expect(answered).toHaveLength(Math.ceil(Object.keys(values).length / 10));
    expect(new Set(answered.flatMap((c) => c.names))).toEqual(new Set(Object.keys(values)));
  });

  it('are cached: composing again within the TTL makes no call', async () => {
    const before = calls.length;
    await buildDeps(config(), {}, { providers: buildPaymentProviders });
    expect(calls.length).toBe(before);
  });

  it('sends GetParameters as the official SSM client does', async () => {
    const names = Object.keys(values).slice(0, 3);
    const sdk = new SSMClient({
      region: 'cn-north-1',
      endpoint: process.env.AWS_ENDPOINT_URL_SSM,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    });
    try {
      const out = await sdk.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
      expect(out.Parameters?.map((p) => p.Name)).toEqual(names);
    } finally {
      sdk.destroy();
    }
    const theirs = calls.at(-1);
    const ours = calls.find((c) => c.names.length > 0 && c !== theirs);
    expect(ours?.target).toBe(theirs?.target);
    expect(ours?.type).toBe(theirs?.type);
    expect(Object.keys(JSON.parse(ours?.body ?? '{}') as object).sort()).toEqual(
      Object.keys(JSON.parse(theirs?.body ?? '{}') as object).sort(),
    );
  });
});
