/**
 * The pay-later part of the composition root: the credit providers (Alipay fund authorisation, WeChat Pay
 * Score). Opening a visit needs nothing more; the visit functions that settle, cancel or take insurance add
 * the insurance platform (./insured-credit.ts), so this module bundles none of its code.
 */
import { alipayCreditProvider } from '../adapters/alipay/credit';
import { payScoreProvider } from '../adapters/wechatpay/payscore';
import type { Channel } from '../domain/ledger/accounts';
import type { Clock } from '../ports/clock';
import type { CreditProvider } from '../ports/credit-provider';
import { alipayClientFor, wechatpayConfigFor } from './channels';
import type { Config } from './config';
import { composeDeps, type CreditParts } from './container';
import type { AlipayClient } from '../adapters/alipay/client';
import type { WechatpayConfig } from '../adapters/wechatpay/client';

/** The configured credit providers, and the channels' clients they were built on. */
export async function buildCreditProviders(
  config: Config,
  clock: Clock,
): Promise<CreditParts & { alipay?: AlipayClient; wechat?: WechatpayConfig }> {
  const credit: Partial<Record<Channel, CreditProvider>> = {};
  const [alipay, wechat] = await Promise.all([alipayClientFor(config), wechatpayConfigFor(config)]);
  if (alipay && config.alipay) credit.alipay = alipayCreditProvider(alipay, config.alipay);
  const serviceId = config.wechatpay?.payScoreServiceId;
  if (wechat && serviceId) credit.wechatpay = payScoreProvider({ ...wechat, serviceId }, clock);
  return { credit, alipay, wechat };
}

/** The dependencies of a visit function that needs credit only (opening a visit). */
export const creditDeps = composeDeps({
  providers: async (config: Config, clock: Clock): Promise<CreditParts> => ({
    credit: (await buildCreditProviders(config, clock)).credit,
  }),
});
