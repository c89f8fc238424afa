/**
 * The channels' credentials, resolved from secret references, shared by the payment part (providers.ts)
 * and the credit part (credit.ts) of the composition root. Only the client modules are imported here, so
 * each part bundles just the adapters it builds.
 */
import { actingFor, alipayClient, alipayPublicKeyPem, type AlipayClient } from '../adapters/alipay/client';
import { ALIPAY_APP_AUTH_TOKEN, type Hospital } from '../domain/hospital';
import type { HospitalSecrets } from '../ports/hospital-secrets';
import type { WechatpayConfig } from '../adapters/wechatpay/client';
import type { WechatpayNotificationConfig } from '../adapters/wechatpay/notification';
import type { Config } from './config';
import { resolveSecrets } from './secrets';

/** The Alipay gateway client of the configured app (public-key or certificate mode). */
export async function alipayClientFor(config: Config): Promise<AlipayClient | undefined> {
  const a = config.alipay;
  if (!a) return undefined;
  const c = a.certificates;
  // Every key at once, so they share one SSM batch (./secrets.ts).
  if (c) {
    const [appPrivateKey, appCert, alipayPublicCert, alipayRootCert] = await resolveSecrets(
      [a.appPrivateKeyRef, c.appCertRef, c.alipayPublicCertRef, c.alipayRootCertRef],
      config.region,
    );
    return alipayClient({
      appId: a.appId,
      gateway: a.gateway,
      mode: 'certificate',
      appPrivateKey,
      appCert,
      alipayPublicCert,
      alipayRootCert,
    });
  }
  const [appPrivateKey, alipayPublicKey] = await resolveSecrets(
    [a.appPrivateKeyRef, a.alipayPublicKeyRef],
    config.region,
  );
  return alipayClient({
    appId: a.appId,
    gateway: a.gateway,
    mode: 'public-key',
    appPrivateKey,
    alipayPublicKey,
  });
}

/**
 * Alipay's public key alone (public-key mode's key, or certificate mode's Alipay public certificate): what
 * the webhook verifies with. The app's private key is never read.
 */
export async function alipayVerifyKeyFor(config: Config): Promise<string | undefined> {
  const a = config.alipay;
  if (!a) return undefined;
  const [key] = await resolveSecrets(
    [a.certificates ? a.certificates.alipayPublicCertRef : a.alipayPublicKeyRef],
    config.region,
  );
  return alipayPublicKeyPem(
    a.certificates
      ? { mode: 'certificate', alipayPublicCert: key }
      : { mode: 'public-key', alipayPublicKey: key },
  );
}

/** What the WeChat Pay webhook verifies with: the APIv3 key and the platform public keys, not the merchant key. */
export async function wechatpayVerifyConfigFor(
  config: Config,
): Promise<WechatpayNotificationConfig | undefined> {
  const w = config.wechatpay;
  if (!w) return undefined;
  const [[apiV3Key], platformKeys] = await Promise.all([
    resolveSecrets([w.apiV3KeyRef], config.region),
    platformKeysFor(w.platformKeyRefs, config.region),
  ]);
  return { mchId: w.mchId, appId: w.appId, apiV3Key, platformKeys };
}

/** The platform public keys (certificate serials and PUB_KEY_ID_…) by serial, read together. */
async function platformKeysFor(refs: Readonly<Record<string, string>>, region: string) {
  const entries = Object.entries(refs);
  const values = await resolveSecrets(
    entries.map(([, ref]) => ref),
    region,
  );
  return Object.fromEntries(entries.map(([serial], i) => [serial, values[i] ?? '']));
}

/** The WeChat Pay merchant's keys and endpoints. */
export async function wechatpayConfigFor(config: Config): Promise<WechatpayConfig | undefined> {
  const w = config.wechatpay;
  if (!w) return undefined;
  const [[merchantPrivateKey, apiV3Key], platformKeys] = await Promise.all([
    resolveSecrets([w.merchantPrivateKeyRef, w.apiV3KeyRef], config.region),
    platformKeysFor(w.platformKeyRefs, config.region),
  ]);
  return {
    mchId: w.mchId,
    appId: w.appId,
    merchantSerial: w.merchantSerial,
    merchantPrivateKey,
    apiV3Key,
    platformKeys,
    baseURL: w.baseURL,
    notifyUrl: w.notifyUrl,
  };
}

/**
 * The platform app's Alipay client acting for a registered hospital's merchant (partner mode), with the
 * app_auth_token kept under the hospital; undefined when the hospital has not connected Alipay.
 */
export async function alipayActingFor(
  client: AlipayClient,
  hospital: Hospital,
  secrets: HospitalSecrets,
): Promise<AlipayClient | undefined> {
  const merchant = hospital.channels.alipay;
  const token = merchant && (await secrets.get(hospital.hospitalId, ALIPAY_APP_AUTH_TOKEN));
  if (!merchant || !token) return undefined;
  return actingFor(client, {
    appAuthToken: token,
    hospitalId: hospital.hospitalId,
    revoked: merchant.status === 'REVOKED',
  });
}
