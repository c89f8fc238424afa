/**
 * The pay-later part with insurance: the credit providers plus, where the national insurance platform is
 * configured, the platform and the wallets' authorisation exchanges for the visit's insurance step. Only the
 * visit functions that take, book or give back insurance import it.
 */
import type { Clock } from '../ports/clock';
import type { Config } from './config';
import { composeDeps, type CoreDeps, type CreditParts } from './container';
import { buildCreditProviders } from './credit';
import { alipayActingFor } from './channels';
import type { Hospital } from '../domain/hospital';
import type { HospitalSecrets } from '../ports/hospital-secrets';
import type { InsuredParts } from '../usecases/payments/deps';

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
  /** A visit's insurance step: the platform and the wallets' authorisation exchanges of the insured parts. */
  const visitInsurance = (insured: InsuredParts | undefined) =>
    insured && {
      insurance: {
        platform: insured.platform,
        auth: insured.auth,
        defaultMedicalType: insured.defaultMedicalType,
      },
    };
  const insured = await buildInsuredParts(config, clock, { alipay, wechat, providers: {} });
  /** A registered hospital's credit, and its visits' insurance once its 医保 identity is connected. */
  const partner = async (hospital: Hospital, secrets: HospitalSecrets): Promise<CreditParts> => {
    const own = await partnerCredit(hospital, secrets);
    const merchant = alipay && (await alipayActingFor(alipay, hospital, secrets));
    const ownInsured = await buildInsuredParts(
      config,
      clock,
      { alipay: merchant, wechat, providers: {} },
      { hospital, secrets },
    );
    return { ...own, ...visitInsurance(ownInsured) };
  };
  return { credit, partner, ...visitInsurance(insured) };
}

/** The dependencies of a visit function that settles, cancels or takes insurance. */
export const insuredCreditDeps = composeDeps({ providers: buildInsuredCredit });
