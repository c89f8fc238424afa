/**
 * The channels' credentials, resolved from secret references, shared by the payment part (providers.ts)
 * and the credit part (credit.ts) of the composition root. Only the client modules are imported here, so
 * each part bundles just the adapters it builds.
 */
import { alipayClient, alipayPublicKeyPem, type AlipayClient } from '../adapters/alipay/client';
import type { WechatpayConfig } from '../adapters/wechatpay/client';
import type { WechatpayNotificationConfig } from '../adapters/wechatpay/notification';
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

/**
 * Alipay's public key alone (public-key mode's key, or certificate mode's Alipay public certificate): what
 * the webhook verifies with. The app's private key is never read.
 */
export async function alipayVerifyKeyFor(config: Config): Promise<string | undefined> {
  const a = config.alipay;
  if (!a) return undefined;
  const secret = (ref: string) => resolveSecret(ref, config.region);
  return alipayPublicKeyPem(
    a.certificates
      ? { mode: 'certificate', alipayPublicCert: await secret(a.certificates.alipayPublicCertRef) }
      : { mode: 'public-key', alipayPublicKey: await secret(a.alipayPublicKeyRef) },
  );
}

/** What the WeChat Pay webhook verifies with: the APIv3 key and the platform public keys, not the merchant key. */
export async function wechatpayVerifyConfigFor(
  config: Config,
): Promise<WechatpayNotificationConfig | undefined> {
  const w = config.wechatpay;
  if (!w) return undefined;
  return {
    mchId: w.mchId,
    appId: w.appId,
    apiV3Key: await resolveSecret(w.apiV3KeyRef, config.region),
    platformKeys: await platformKeysFor(w.platformKeyRefs, config.region),
  };
}

/** The platform public keys (certificate serials and PUB_KEY_ID_…) by serial. */
async function platformKeysFor(refs: Readonly<Record<string, string>>, region: string) {
  const keys: Record<string, string> = {};
  for (const [serial, ref] of Object.entries(refs)) keys[serial] = await resolveSecret(ref, region);
  return keys;
}

/** The WeChat Pay merchant's keys and endpoints. */
export async function wechatpayConfigFor(config: Config): Promise<WechatpayConfig | undefined> {
  const w = config.wechatpay;
  if (!w) return undefined;
  const secret = (ref: string) => resolveSecret(ref, config.region);
  return {
    mchId: w.mchId,
    appId: w.appId,
    merchantSerial: w.merchantSerial,
    merchantPrivateKey: await secret(w.merchantPrivateKeyRef),
    apiV3Key: await secret(w.apiV3KeyRef),
    platformKeys: await platformKeysFor(w.platformKeyRefs, config.region),
    baseURL: w.baseURL,
    notifyUrl: w.notifyUrl,
  };
}
