/**
 * The payment part of the composition root: the payment providers of the configured channels (orders,
 * refunds, notifications, bills). Only the functions that call a payment provider import this module.
 */
import { alipayProvider } from '../adapters/alipay/provider';
import { wechatpayProvider } from '../adapters/wechatpay/provider';
import type { Channel } from '../domain/ledger/accounts';
import type { Clock } from '../ports/clock';
import type { PaymentProvider } from '../ports/payment-provider';
import { alipayClientFor, wechatpayConfigFor } from './channels';
import type { Config } from './config';
import { composeDeps, type CoreDeps, type PaymentParts } from './container';
import type { Hospital } from '../domain/hospital';

/** The configured payment providers, with the channels' clients they are built on. */
export async function paymentChannels(config: Config, clock: Clock) {
  const providers: Partial<Record<Channel, PaymentProvider>> = {};
  // Both channels at once: their secrets share one SSM batch (./secrets.ts).
  const [alipay, wechat] = await Promise.all([alipayClientFor(config), wechatpayConfigFor(config)]);
  if (alipay && config.alipay) providers.alipay = alipayProvider(alipay, config.alipay);
  if (wechat) providers.wechatpay = wechatpayProvider(wechat, clock);
  /** A registered hospital's providers: the platform's accounts acting for its sub-merchant (partner mode). */
  const partner = (hospital: Hospital): PaymentParts => {
    const own: Partial<Record<Channel, PaymentProvider>> = {};
    const sub = hospital.channels.wechatpay;
    if (wechat && sub)
      own.wechatpay = wechatpayProvider(wechat, clock, { ...sub, hospitalId: hospital.hospitalId });
    return { providers: own };
  };
  return { providers, alipay, wechat, partner };
}

/** Builds the configured payment providers, and each registered hospital's. */
export async function buildPaymentProviders(
  config: Config,
  clock: Clock,
): Promise<PaymentParts & Pick<CoreDeps, 'partner'>> {
  const { providers, partner } = await paymentChannels(config, clock);
  return { providers, partner };
}

/** The dependencies of a function that calls payment providers. */
export const providerDeps = composeDeps({ providers: buildPaymentProviders });
