/**
 * The pay-later part of the composition root: the credit providers (Alipay fund authorisation, WeChat Pay
 * Score) and, where the national insurance platform is configured, the platform and the wallets'
 * authorisation exchanges for the visit's insurance step. Only the visit functions import this module.
 */
import { alipayCreditProvider } from '../adapters/alipay/credit';
import { payScoreProvider } from '../adapters/wechatpay/payscore';
import type { Channel } from '../domain/ledger/accounts';
import type { Clock } from '../ports/clock';
import type { CreditProvider } from '../ports/credit-provider';
import { alipayClientFor, wechatpayConfigFor } from './channels';
import type { Config } from './config';
import { composeDeps, type CreditParts } from './container';

/** Builds the configured credit providers and the insurance platform. */
export async function buildCredit(config: Config, clock: Clock): Promise<CreditParts> {
  const credit: Partial<Record<Channel, CreditProvider>> = {};
  const [alipay, wechat] = await Promise.all([alipayClientFor(config), wechatpayConfigFor(config)]);
  if (alipay && config.alipay) credit.alipay = alipayCreditProvider(alipay, config.alipay);
  const serviceId = config.wechatpay?.payScoreServiceId;
  if (wechat && serviceId) credit.wechatpay = payScoreProvider({ ...wechat, serviceId }, clock);
  if (!config.insurancePlatform) return { credit };
  // Loaded only where the platform is configured: its SM2 library and adapters cost nothing elsewhere.
  const { buildInsuredParts } = await import('./insurance');
  const insured = await buildInsuredParts(config, clock, { alipay, wechat, providers: {} });
  return insured
    ? {
        credit,
        insurance: {
          platform: insured.platform,
          auth: insured.auth,
          defaultMedicalType: insured.defaultMedicalType,
        },
      }
    : { credit };
}

/** The dependencies of a visit function (credit and insurance). */
export const creditDeps = composeDeps({ providers: buildCredit });
