/** Starts the sandbox in-process with fresh keys, and builds both providers pointed at it. */
import { bosssoftReceipts } from '../../lib/adapters/ereceipt/bosssoft';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { alipayClient } from '../../lib/adapters/alipay/client';
import { alipayBillSource } from '../../lib/adapters/alipay/bill';
import { wechatBillSource } from '../../lib/adapters/wechatpay/bill';
import { alipayProvider } from '../../lib/adapters/alipay/provider';
import { wechatpayProvider } from '../../lib/adapters/wechatpay/provider';
import { systemClock } from '../../lib/adapters/system/clock';
import type { PaymentProvider, RawNotification } from '../../lib/ports/payment-provider';
import { startSandbox } from '../../sandbox/server';
import { alipayCreditProvider } from '../../lib/adapters/alipay/credit';
import { payScoreProvider } from '../../lib/adapters/wechatpay/payscore';
import type { CreditProvider } from '../../lib/ports/credit-provider';
import type { AuthExchange } from '../../lib/ports/insurance-auth';
import { alipayMedicalAuth } from '../../lib/adapters/alipay/medical-auth';
import { wechatMedicalAuth } from '../../lib/adapters/wechatpay/medical-auth';
import { wechatMedicalOrders } from '../../lib/adapters/wechatpay/med-ins-orders';
import { alipayMedicalOrders, ASSUMED_ALIPAY_MEDICAL } from '../../lib/adapters/alipay/medical-orders';

/** The Pay Score service id the tests use. */
export const PAYSCORE_SERVICE_ID = '500001000000000000000000000001';
import { insuranceEnvelopes, rsaKeyPair } from './provider-keys';
import { httpEvent, lambdaContext } from './http';
import type { LambdaHttpHandler } from '../../lib/http/context';
import { ASSUMED_PLATFORM, nationalInsuranceGateway } from '../../lib/adapters/insurance/national/gateway';

/** A notification receiver: answers with `respond` and keeps what it got. */
export async function notificationReceiver(
  respond: (
    channel: string,
    n: RawNotification & { readonly path?: string },
  ) => Promise<{ status: number; body: string }>,
) {
  const received: Array<{ channel: string; notification: RawNotification }> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const channel = (req.url ?? '').includes('alipay') ? 'alipay' : 'wechatpay';
      const notification = {
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
        path: req.url,
      };
      received.push({ channel, notification });
      void respond(channel, notification).then(({ status, body }) => {
        res.writeHead(status);
        res.end(body);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * A receiver that hands each notification to the channel's real webhook handler by its path (partner
 * notifications' path names their hospital, `/webhooks/{channel}/{hospitalId}`), recording
 * `"<path> <status>"` (and Alipay's answer body) in `applied`.
 */
export function webhookReceiver(
  webhooks: Readonly<Record<'alipay' | 'wechatpay', LambdaHttpHandler>>,
  applied: string[],
) {
  return notificationReceiver(async (channel, n) => {
    const path = n.path ?? `/webhooks/${channel}`;
    const hospitalId = /^\/webhooks\/\w+\/([\w-]+)$/.exec(path)?.[1];
    const res = await webhooks[channel as 'alipay' | 'wechatpay'](
      httpEvent('POST', path, {
        headers: n.headers as Record<string, string>,
        body: n.body.toString('utf8'),
        ...(hospitalId ? { pathParameters: { hospitalId } } : {}),
      }),
      lambdaContext(),
    );
    applied.push(`${path} ${res.statusCode} ${channel === 'alipay' ? res.body : ''}`.trim());
    return { status: res.statusCode, body: res.body };
  });
}

/** The sandbox plus providers configured against it, with `notifyBase` as medpay's public URL. */
export async function sandboxWithProviders(notifyBase: string) {
  const keys = {
    alipayApp: rsaKeyPair(),
    alipayPlatform: rsaKeyPair(),
    merchant: rsaKeyPair(),
    certificate: rsaKeyPair(),
    publicKey: rsaKeyPair(),
  };
  const ids = {
    alipay: { appId: '2021000122671080', sellerId: '2088102177846875' },
    wechatpay: {
      mchId: '1900000109',
      appId: 'wxd678efh567hg6787',
      merchantSerial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
      certificateSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      publicKeyId: 'PUB_KEY_ID_0114232134912410000000000000',
    },
  };
  const apiV3Key = randomBytes(16).toString('hex');
  const envelopes = insuranceEnvelopes();
  const ereceipt = { appId: 'EBILL0001', key: randomBytes(16).toString('hex') };
  const sandbox = await startSandbox({
    alipay: {
      ...ids.alipay,
      appPublicKey: keys.alipayApp.publicKey,
      platformPrivateKey: keys.alipayPlatform.privateKey,
    },
    wechatpay: {
      mchId: ids.wechatpay.mchId,
      appId: ids.wechatpay.appId,
      merchantSerial: ids.wechatpay.merchantSerial,
      merchantPublicKey: keys.merchant.publicKey,
      apiV3Key,
      certificate: { serial: ids.wechatpay.certificateSerial, privateKey: keys.certificate.privateKey },
      publicKey: { id: ids.wechatpay.publicKeyId, privateKey: keys.publicKey.privateKey },
    },
    insurancePlatform: envelopes.platform,
    ereceipt,
    timeScale: 1 / 36_000,
  });
  /** The hospital's fiscal e-receipt account at the sandbox's platform. */
  const receipts = bosssoftReceipts({
    baseUrl: `${sandbox.url}/ereceipt`,
    ...ereceipt,
    placeCode: '001',
    payee: '测试医院',
  });
  const alipayGatewayClient = alipayClient({
    mode: 'public-key',
    appId: ids.alipay.appId,
    appPrivateKey: keys.alipayApp.privateKey,
    alipayPublicKey: keys.alipayPlatform.publicKey,
    gateway: `${sandbox.url}/alipay/gateway.do`,
  });
  const alipay = alipayProvider(alipayGatewayClient, {
    ...ids.alipay,
    notifyUrl: `${notifyBase}/webhooks/alipay`,
  });
  const wechatConfig = {
    mchId: ids.wechatpay.mchId,
    appId: ids.wechatpay.appId,
    merchantSerial: ids.wechatpay.merchantSerial,
    merchantPrivateKey: keys.merchant.privateKey,
    apiV3Key,
    platformKeys: {
      [ids.wechatpay.certificateSerial]: keys.certificate.publicKey,
      [ids.wechatpay.publicKeyId]: keys.publicKey.publicKey,
    },
    baseURL: sandbox.url,
    notifyUrl: `${notifyBase}/webhooks/wechatpay`,
  };
  const wechatpay = wechatpayProvider(wechatConfig, systemClock);
  const providers: Record<'alipay' | 'wechatpay', PaymentProvider> = { alipay, wechatpay };
  const bills = {
    alipay: alipayBillSource(alipayGatewayClient),
    wechatpay: wechatBillSource(wechatConfig, systemClock),
  };
  const credit: Record<'alipay' | 'wechatpay', CreditProvider> = {
    alipay: alipayCreditProvider(alipayGatewayClient, {
      sellerId: ids.alipay.sellerId,
      notifyUrl: `${notifyBase}/webhooks/alipay`,
    }),
    wechatpay: payScoreProvider({ ...wechatConfig, serviceId: PAYSCORE_SERVICE_ID }, systemClock),
  };
  const platform = nationalInsuranceGateway(
    {
      ...ASSUMED_PLATFORM,
      baseUrl: `${sandbox.url}/insurance/platform`,
      envelope: envelopes.hospital,
      orgCode: 'H44010000001',
      orgId: 'ORG44010000001',
    },
    systemClock,
  );
  const auth: Record<'alipay' | 'wechatpay', AuthExchange> = {
    alipay: alipayMedicalAuth(alipayGatewayClient, {
      orgCode: 'H44010000001',
      orgChannelCode: 'CRTF0001',
      orgAppId: 'ORGAPP0001',
      callUrl: `${notifyBase}/insurance/authorised`,
    }),
    wechatpay: wechatMedicalAuth({ url: `${sandbox.url}/insurance/auth-exchange/wechatpay` }),
  };
  const medicalOrders = {
    alipay: alipayMedicalOrders(alipayGatewayClient, {
      orgNo: 'H44010000001',
      returnUrl: `${notifyBase}/insurance/paid`,
      notifyUrl: `${notifyBase}/webhooks/alipay`,
      ...ASSUMED_ALIPAY_MEDICAL,
    }),
    wechatpay: wechatMedicalOrders(
      wechatConfig,
      {
        medInstName: '沙盒医院',
        medInstNo: 'H44010000001',
        callbackUrl: `${notifyBase}/webhooks/wechatpay`,
        encryptionSerial: ids.wechatpay.publicKeyId,
      },
      wechatpay,
      systemClock,
    ),
  };
  return {
    sandbox,
    providers,
    /** The WeChat Pay client configuration and the Alipay gateway client (partner-mode providers use them). */
    wechatConfig,
    alipayClient: alipayGatewayClient,
    alipayConfig: { ...ids.alipay, notifyUrl: `${notifyBase}/webhooks/alipay` },
    medicalOrders,
    bills,
    credit,
    insurance: { platform, auth },
    receipts,
    ids,
    keys,
    apiV3Key,
    envelopes,
  };
}
