/**
 * The providers part of the composition root: the payment, credit and insurance adapters of the configured
 * channels, their keys resolved from secret references. Only the functions that call a provider import this
 * module, so every other bundle is built without the provider SDKs.
 */
import type { WechatpayConfig } from '../adapters/wechatpay/client';
import type { Channel } from '../domain/ledger/accounts';
import type { Clock } from '../ports/clock';
import type { CreditProvider } from '../ports/credit-provider';
import type { InsuranceGateway } from '../ports/insurance-gateway';
import type { PaymentProvider } from '../ports/payment-provider';
import type { Config } from './config';
import { composeDeps, type BuiltProviders } from './container';
import { resolveSecret } from './secrets';

/** Builds the configured payment and credit providers, resolving their keys from secret references. */
export async function buildProviders(config: Config, clock: Clock): Promise<BuiltProviders> {
  const providers: Partial<Record<Channel, PaymentProvider>> = {};
  const credit: Partial<Record<Channel, CreditProvider>> = {};
  let wechatConfig: WechatpayConfig | undefined;
  const secret = (ref: string) => resolveSecret(ref, config.region);
  // Imported on first use: a cold start evaluates only the clients of the channels that are configured.
  if (config.alipay) {
    const [{ alipayClient }, { alipayProvider }, { alipayCreditProvider }] = await Promise.all([
      import('../adapters/alipay/client'),
      import('../adapters/alipay/provider'),
      import('../adapters/alipay/credit'),
    ]);
    const a = config.alipay;
    const common = { appId: a.appId, appPrivateKey: await secret(a.appPrivateKeyRef), gateway: a.gateway };
    const client = alipayClient(
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
    providers.alipay = alipayProvider(client, {
      appId: a.appId,
      sellerId: a.sellerId,
      notifyUrl: a.notifyUrl,
    });
    credit.alipay = alipayCreditProvider(client, { sellerId: a.sellerId, notifyUrl: a.notifyUrl });
  }
  if (config.wechatpay) {
    const [{ wechatpayProvider }, { payScoreProvider }] = await Promise.all([
      import('../adapters/wechatpay/provider'),
      import('../adapters/wechatpay/payscore'),
    ]);
    const w = config.wechatpay;
    const platformKeys: Record<string, string> = {};
    for (const [serial, ref] of Object.entries(w.platformKeyRefs)) platformKeys[serial] = await secret(ref);
    const wechat = {
      mchId: w.mchId,
      appId: w.appId,
      merchantSerial: w.merchantSerial,
      merchantPrivateKey: await secret(w.merchantPrivateKeyRef),
      apiV3Key: await secret(w.apiV3KeyRef),
      platformKeys,
      baseURL: w.baseURL,
      notifyUrl: w.notifyUrl,
    };
    providers.wechatpay = wechatpayProvider(wechat, clock);
    if (w.payScoreServiceId)
      credit.wechatpay = payScoreProvider({ ...wechat, serviceId: w.payScoreServiceId }, clock);
    wechatConfig = wechat;
  }
  let insurance: InsuranceGateway | undefined;
  const ins = config.insurance;
  if (ins.gateway !== 'none') {
    const { bureauGateway } = await import('../adapters/insurance/bureau');
    const bureau = bureauGateway({ baseUrl: ins.bureauUrl, key: await secret(ins.bureauKeyRef) }, clock);
    insurance = bureau;
    if (ins.gateway === 'wechat-med-ins') {
      if (!wechatConfig)
        throw new Error('medpay configuration is invalid:\n  wechat-med-ins needs WeChat Pay');
      const { wechatMedInsGateway } = await import('../adapters/wechatpay/med-ins');
      insurance = wechatMedInsGateway(wechatConfig, ins.medIns, bureau, clock);
    }
  }
  return { providers, credit, insurance };
}

/** The dependencies of a function that calls providers. */
export const providerDeps = composeDeps({ providers: buildProviders });
