/**
 * The payment part with insured payments: the providers plus the national insurance platform and the wallets'
 * medical products (./insurance.ts). Only the functions that create, close, refund or sweep payments import
 * it, so the others bundle none of the insurance code (the SM2 library and the adapters).
 */
import type { AlipayClient } from '../adapters/alipay/client';
import type { WechatpayConfig } from '../adapters/wechatpay/client';
import type { Hospital } from '../domain/hospital';
import type { Clock } from '../ports/clock';
import type { HospitalSecrets } from '../ports/hospital-secrets';
import type { Config } from './config';
import { composeDeps, type CoreDeps, type PaymentParts } from './container';
import { followUpOf, paymentChannels, receiptsOf } from './providers';

/** Builds the payment providers and, where the platform is configured, the insured-payment parts. */
export async function buildInsuredPaymentProviders(
  config: Config,
  clock: Clock,
): Promise<PaymentParts & Pick<CoreDeps, 'partner'>> {
  const channels = await paymentChannels(config, clock);
  const { providers } = channels;
  const followUp = { ...followUpOf(config), ...(await receiptsOf(config)) };
  if (!config.insurancePlatform) return { providers, partner: channels.partner, ...followUp };
  // Loaded only where the platform is configured: its SM2 library and adapters cost nothing elsewhere.
  const { buildInsuredParts } = await import('./insurance');
  const insured = await buildInsuredParts(config, clock, channels);
  return {
    providers,
    partner: partnerInsuredPayments(config, clock, channels),
    ...(insured ? { insured } : {}),
    ...followUp,
  };
}

/**
 * A registered hospital's payment providers (`channels.partner`), and its insured parts once its 医保
 * identity is connected: the platform as that hospital, WeChat Pay 医保 for its sub-merchant, Alipay's
 * medical product acting for its merchant.
 */
export function partnerInsuredPayments(
  config: Config,
  clock: Clock,
  channels: {
    readonly alipay?: AlipayClient;
    readonly wechat?: WechatpayConfig;
    readonly partner: (hospital: Hospital, secrets: HospitalSecrets) => Promise<PaymentParts>;
  },
) {
  return async (hospital: Hospital, secrets: HospitalSecrets): Promise<PaymentParts> => {
    const own = await channels.partner(hospital, secrets);
    const { hospitalInsuredParts } = await import('./insurance');
    const insured = await hospitalInsuredParts(config, clock, channels, own.providers, {
      hospital,
      secrets,
    });
    return { ...own, ...(insured ? { insured } : {}) };
  };
}

/** The dependencies of a function that creates, closes, refunds or sweeps payments. */
export const insuredProviderDeps = composeDeps({ providers: buildInsuredPaymentProviders });
