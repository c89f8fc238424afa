/**
 * The pay-later part of the composition root: the credit providers (Alipay fund authorisation, WeChat Pay
 * Score) and the insurance gateway (the bureau, directly or through WeChat medical insurance). Only the
 * visit functions import this module.
 */
import { alipayCreditProvider } from '../adapters/alipay/credit';
import { bureauGateway } from '../adapters/insurance/bureau';
import { wechatMedInsGateway } from '../adapters/wechatpay/med-ins';
import { payScoreProvider } from '../adapters/wechatpay/payscore';
import type { Channel } from '../domain/ledger/accounts';
import type { Clock } from '../ports/clock';
import type { CreditProvider } from '../ports/credit-provider';
import type { TabInsurance } from '../ports/tab-insurance';
import { alipayClientFor, wechatpayConfigFor } from './channels';
import type { Config } from './config';
import { composeDeps, type CreditParts } from './container';
import { resolveSecret } from './secrets';

/** Builds the configured credit providers and insurance gateway. */
export async function buildCredit(config: Config, clock: Clock): Promise<CreditParts> {
  const credit: Partial<Record<Channel, CreditProvider>> = {};
  const ins = config.insurance;
  // Every secret at once: they share one SSM batch (./secrets.ts).
  const [alipay, wechat, bureauKey] = await Promise.all([
    alipayClientFor(config),
    wechatpayConfigFor(config),
    ins.gateway === 'none' ? undefined : resolveSecret(ins.bureauKeyRef, config.region),
  ]);
  if (alipay && config.alipay) credit.alipay = alipayCreditProvider(alipay, config.alipay);
  const serviceId = config.wechatpay?.payScoreServiceId;
  if (wechat && serviceId) credit.wechatpay = payScoreProvider({ ...wechat, serviceId }, clock);
  let insurance: TabInsurance | undefined;
  if (ins.gateway !== 'none' && bureauKey !== undefined) {
    const bureau = bureauGateway({ baseUrl: ins.bureauUrl, key: bureauKey }, clock);
    insurance = bureau;
    if (ins.gateway === 'wechat-med-ins') {
      if (!wechat) throw new Error('medpay configuration is invalid:\n  wechat-med-ins needs WeChat Pay');
      insurance = wechatMedInsGateway(wechat, ins.medIns, bureau, clock);
    }
  }
  return { credit, insurance };
}

/** The dependencies of a visit function (credit and insurance). */
export const creditDeps = composeDeps({ providers: buildCredit });
