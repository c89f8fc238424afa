/**
 * The channels' credentials, resolved from secret references, shared by the payment part (providers.ts)
 * and the credit part (credit.ts) of the composition root. Only the client modules are imported here, so
 * each part bundles just the adapters it builds.
 */
import { alipayClient, type AlipayClient } from '../adapters/alipay/client';
import type { WechatpayConfig } from '../adapters/wechatpay/client';
import type { Config } from './config';
import { resolveSecret } from './secrets';

/** The Alipay gateway client of the configured app (public-key or certificate mode). */
export async function alipayClientFor(config: Config): Promise<AlipayClient | undefined> {
  const a = config.alipay;
  if (!a) return undefined;
  const secret = (ref: string) => resolveSecret(ref, config.region);
  const common = { appId: a.appId, appPrivateKey: await secret(a.appPrivateKeyRef), gateway: a.gateway };
  return alipayClient(
    a.certificates
      ? {
          ...common,
          mode: 'certificate',
          appCert: await secret(a.certificates.appCertRef),
          alipayPublicCert: await secret(a.certificates.alipayPublicCertRef),
          alipayRootCert: await secret(a.certificates.alipayRootCertRef),
        }
      : { ...common, mode: 'public-key', alipayPublicKey: await secret(a.alipayPublicKeyRef) },
  );
}

/** The WeChat Pay merchant's keys and endpoints. */
export async function wechatpayConfigFor(config: Config): Promise<WechatpayConfig | undefined> {
  const w = config.wechatpay;
  if (!w) return undefined;
  const secret = (ref: string) => resolveSecret(ref, config.region);
  const platformKeys: Record<string, string> = {};
  for (const [serial, ref] of Object.entries(w.platformKeyRefs)) platformKeys[serial] = await secret(ref);
  return {
    mchId: w.mchId,
    appId: w.appId,
    merchantSerial: w.merchantSerial,
    merchantPrivateKey: await secret(w.merchantPrivateKeyRef),
    apiV3Key: await secret(w.apiV3KeyRef),
    platformKeys,
    baseURL: w.baseURL,
    notifyUrl: w.notifyUrl,
  };
}
