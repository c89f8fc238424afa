/**
 * The pay-later part with insurance: the credit providers plus, where the national insurance platform is
 * configured, the platform and the wallets' authorisation exchanges for the visit's insurance step. Only the
 * visit functions that take, book or give back insurance import it.
 */
import type { Clock } from '../ports/clock';
import type { Config } from './config';
import { composeDeps, type CoreDeps, type CreditParts } from './container';
import { buildCreditProviders } from './credit';
import type { Hospital } from '../domain/hospital';
import type { HospitalSecrets } from '../ports/hospital-secrets';
import type { InsuredParts } from '../usecases/payments/deps';
import type { AlipayClient } from '../adapters/alipay/client';
import type { WechatpayConfig } from '../adapters/wechatpay/client';

/**
 * Builds the credit providers and the insurance platform; a registered hospital's visits take credit in
 * partner mode and insurance as that hospital once its 医保 identity is connected.
 */
export async function buildInsuredCredit(
  config: Config,
  clock: Clock,
): Promise<CreditParts & Pick<CoreDeps, 'partner'>> {
  const { credit, partner: partnerCredit, alipay, wechat } = await buildCreditProviders(config, clock);
  if (!config.insurancePlatform) return { credit, partner: partnerCredit };
  // Loaded only where the platform is configured: its SM2 library and adapters cost nothing elsewhere.
  const { buildInsuredParts } = await import('./insurance');
  const insured = await buildInsuredParts(config, clock, { alipay, wechat, providers: {} });
  const partner = partnerInsuredCredit(config, clock, { alipay, wechat, partner: partnerCredit });
  return { credit, partner, ...visitInsurance(insured) };
}

/** A visit's insurance step: the platform and the wallets' authorisation exchanges of the insured parts. */
const visitInsurance = (insured: InsuredParts | undefined) =>
  insured && {
    insurance: {
      platform: insured.platform,
      auth: insured.auth,
      defaultMedicalType: insured.defaultMedicalType,
    },
  };

/**
 * A registered hospital's credit (`channels.partner`), and its visits' insurance once its 医保 identity is
 * connected: the platform as that hospital, the wallets' authorisation exchanges for its merchant.
 */
export function partnerInsuredCredit(
  config: Config,
  clock: Clock,
  channels: {
    readonly alipay?: AlipayClient;
    readonly wechat?: WechatpayConfig;
    readonly partner: (hospital: Hospital, secrets: HospitalSecrets) => Promise<CreditParts>;
  },
) {
  return async (hospital: Hospital, secrets: HospitalSecrets): Promise<CreditParts> => {
    const own = await channels.partner(hospital, secrets);
    const { hospitalInsuredParts } = await import('./insurance');
    const insured = await hospitalInsuredParts(config, clock, channels, {}, { hospital, secrets });
    return { ...own, ...visitInsurance(insured) };
  };
}

/** The dependencies of a visit function that settles, cancels or takes insurance. */
export const insuredCreditDeps = composeDeps({ providers: buildInsuredCredit });
