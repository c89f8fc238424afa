/**
 * The pay-later part with insurance: the credit providers plus, where the national insurance platform is
 * configured, the platform and the wallets' authorisation exchanges for the visit's insurance step. Only the
 * visit functions that take, book or give back insurance import it.
 */
import type { Clock } from '../ports/clock';
import type { Config } from './config';
import { composeDeps, type CreditParts } from './container';
import { buildCreditProviders } from './credit';

/** Builds the credit providers and the insurance platform. */
export async function buildInsuredCredit(config: Config, clock: Clock): Promise<CreditParts> {
  const { credit, alipay, wechat } = await buildCreditProviders(config, clock);
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

/** The dependencies of a visit function that settles, cancels or takes insurance. */
export const insuredCreditDeps = composeDeps({ providers: buildInsuredCredit });
