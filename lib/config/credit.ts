/**
 * The pay-later part of the composition root: the credit providers (Alipay fund authorisation, WeChat Pay
 * Score). Opening a visit needs nothing more; the visit functions that settle, cancel or take insurance add
 * the insurance platform (./insured-credit.ts), so this module bundles none of its code.
 */
import { alipayCreditProvider, type AlipayCreditConfig } from '../adapters/alipay/credit';
import { payScoreProvider } from '../adapters/wechatpay/payscore';
import type { Channel } from '../domain/ledger/accounts';
import type { Clock } from '../ports/clock';
import type { CreditProvider } from '../ports/credit-provider';
import { alipayActingFor, alipayClientFor, wechatpayConfigFor } from './channels';
import type { Config } from './config';
import { composeDeps, type CoreDeps, type CreditParts } from './container';
import type { AlipayClient } from '../adapters/alipay/client';
import type { WechatpayConfig } from '../adapters/wechatpay/client';
import type { Hospital } from '../domain/hospital';
import type { HospitalSecrets } from '../ports/hospital-secrets';

/**
 * The configured credit providers, the channels' clients they were built on, and `partner`: a registered
 * hospital's (partnerCredit).
 */
export async function buildCreditProviders(
  config: Config,
  clock: Clock,
): Promise<
  CreditParts & {
    partner: ReturnType<typeof partnerCredit>;
    alipay?: AlipayClient;
    wechat?: WechatpayConfig;
  }
> {
  const credit: Partial<Record<Channel, CreditProvider>> = {};
  const [alipay, wechat] = await Promise.all([alipayClientFor(config), wechatpayConfigFor(config)]);
  if (alipay && config.alipay) credit.alipay = alipayCreditProvider(alipay, config.alipay);
  const serviceId = config.wechatpay?.payScoreServiceId;
  if (wechat && serviceId) credit.wechatpay = payScoreProvider({ ...wechat, serviceId }, clock);
  const partner = partnerCredit({ wechat, alipay, alipayConfig: config.alipay, serviceId }, clock);
  return { credit, partner, alipay, wechat };
}

/**
 * A registered hospital's credit providers: the platform's accounts acting for its WeChat Pay sub-merchant
 * (Pay Score partner APIs) and its Alipay merchant (fund authorisation with its app_auth_token).
 */
export function partnerCredit(
  platform: {
    readonly wechat?: WechatpayConfig;
    readonly alipay?: AlipayClient;
    readonly alipayConfig?: AlipayCreditConfig;
    readonly serviceId?: string;
  },
  clock: Clock,
) {
  const { wechat, alipay, alipayConfig, serviceId } = platform;
  return async (hospital: Hospital, secrets: HospitalSecrets): Promise<CreditParts> => {
    const own: Partial<Record<Channel, CreditProvider>> = {};
    const { hospitalId, channels } = hospital;
    if (wechat && serviceId && channels.wechatpay)
      own.wechatpay = payScoreProvider({ ...wechat, serviceId }, clock, {
        ...channels.wechatpay,
        hospitalId,
      });
    const merchant = alipay && channels.alipay && (await alipayActingFor(alipay, hospital, secrets));
    if (merchant && alipayConfig && channels.alipay)
      own.alipay = alipayCreditProvider(merchant, alipayConfig, {
        hospitalId,
        merchantId: channels.alipay.merchantId,
      });
    return { credit: own };
  };
}

/** The dependencies of a visit function that needs credit only (opening a visit). */
export const creditDeps = composeDeps({
  providers: async (config: Config, clock: Clock): Promise<CreditParts & Pick<CoreDeps, 'partner'>> => {
    const { credit, partner } = await buildCreditProviders(config, clock);
    return { credit, partner };
  },
});
