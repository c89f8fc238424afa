/**
 * The pay-later part with insurance: the credit providers plus, where the national insurance platform is
 * configured, the platform and the wallets' authorisation exchanges for the visit's insurance step. Only the
 * visit functions that take, book or give back insurance import it.
 */
import type { Clock } from '../ports/clock';
import type { Config } from './config';
import { composeDeps, type CoreDeps, type CreditParts } from './container';
import { buildCreditProviders } from './credit';

/**
 * Builds the credit providers and the insurance platform. A registered hospital's visits take credit in
 * partner mode and no insurance: the platform's insurance identity is the default hospital's own.
 */
export async function buildInsuredCredit(
  config: Config,
  clock: Clock,
): Promise<CreditParts & Pick<CoreDeps, 'partner'>> {
  const { credit, partner, alipay, wechat } = await buildCreditProviders(config, clock);
  if (!config.insurancePlatform) return { credit, partner };
  // Loaded only where the platform is configured: its SM2 library and adapters cost nothing elsewhere.
  const { buildInsuredParts } = await import('./insurance');
  const insured = await buildInsuredParts(config, clock, { alipay, wechat, providers: {} });
  return insured
    ? {
        credit,
        partner,
        insurance: {
          platform: insured.platform,
          auth: insured.auth,
          defaultMedicalType: insured.defaultMedicalType,
        },
      }
    : { credit, partner };
}

/** The dependencies of a visit function that settles, cancels or takes insurance. */
export const insuredCreditDeps = composeDeps({ providers: buildInsuredCredit });
