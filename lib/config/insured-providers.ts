/**
 * The payment part with insured payments: the providers plus the national insurance platform and the wallets'
 * medical products (./insurance.ts). Only the functions that create, close, refund or sweep payments import
 * it, so the others bundle none of the insurance code (the SM2 library and the adapters).
 */
import type { Clock } from '../ports/clock';
import type { Config } from './config';
import { composeDeps, type CoreDeps, type PaymentParts } from './container';
import { paymentChannels } from './providers';

/** Builds the payment providers and, where the platform is configured, the insured-payment parts. */
export async function buildInsuredPaymentProviders(
  config: Config,
  clock: Clock,
): Promise<PaymentParts & Pick<CoreDeps, 'partner'>> {
  const channels = await paymentChannels(config, clock);
  // A registered hospital pays without insurance for now: its 医保 identity is not onboarded (docs/hospitals.md).
  const { providers, partner } = channels;
  if (!config.insurancePlatform) return { providers, partner };
  // Loaded only where the platform is configured: its SM2 library and adapters cost nothing elsewhere.
  const { buildInsuredParts } = await import('./insurance');
  const insured = await buildInsuredParts(config, clock, channels);
  return { providers, partner, ...(insured ? { insured } : {}) };
}

/** The dependencies of a function that creates, closes, refunds or sweeps payments. */
export const insuredProviderDeps = composeDeps({ providers: buildInsuredPaymentProviders });
