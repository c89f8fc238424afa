/**
 * The payment part of the composition root: the payment providers of the configured channels (orders,
 * refunds, notifications, bills). Only the functions that call a payment provider import this module.
 */
import { alipayProvider, type AlipayConfig } from '../adapters/alipay/provider';
import { wechatpayProvider, type WechatpayConfig } from '../adapters/wechatpay/provider';
import type { AlipayClient } from '../adapters/alipay/client';
import type { Channel } from '../domain/ledger/accounts';
import type { Clock } from '../ports/clock';
import type { PaymentProvider } from '../ports/payment-provider';
import { alipayActingFor, alipayClientFor, wechatpayConfigFor } from './channels';
import type { Config } from './config';
import { composeDeps, type CoreDeps, type PaymentParts } from './container';
import { ERECEIPT_KEY, type Hospital } from '../domain/hospital';
import type { HospitalSecrets } from '../ports/hospital-secrets';
import { lambdaFollowUp } from '../adapters/aws/lambda-follow-up';
import { createLogger } from '../adapters/system/logger';
import { awsCredentials, resolveSecrets } from './secrets';
import { bosssoftReceipts } from '../adapters/ereceipt/bosssoft';
import type { ReceiptIssuer } from '../ports/receipt-issuer';

/** The platform's channel clients a registered hospital's partner-mode parts are built on. */
export interface PlatformChannels {
  readonly wechat?: WechatpayConfig;
  readonly alipay?: AlipayClient;
  readonly alipayConfig?: AlipayConfig;
}

/**
 * A registered hospital's payment providers: the platform's accounts acting for its WeChat Pay sub-merchant
 * and its Alipay merchant (partner mode), the latter with the app_auth_token kept under the hospital.
 */
export function partnerPayments({ wechat, alipay, alipayConfig }: PlatformChannels, clock: Clock) {
  return async (hospital: Hospital, secrets: HospitalSecrets): Promise<PaymentParts> => {
    const own: Partial<Record<Channel, PaymentProvider>> = {};
    const { hospitalId, channels } = hospital;
    if (wechat && channels.wechatpay)
      own.wechatpay = wechatpayProvider(wechat, clock, { ...channels.wechatpay, hospitalId });
    const merchant = alipay && (await alipayActingFor(alipay, hospital, secrets));
    if (merchant && alipayConfig) own.alipay = alipayProvider(merchant, alipayConfig, { hospitalId });
    return { providers: own, ...(await hospitalReceipts(hospital, secrets)) };
  };
}

/** The configured payment providers, with the channels' clients they are built on. */
export async function paymentChannels(config: Config, clock: Clock) {
  const providers: Partial<Record<Channel, PaymentProvider>> = {};
  // Both channels at once: their secrets share one SSM batch (./secrets.ts).
  const [alipay, wechat] = await Promise.all([alipayClientFor(config), wechatpayConfigFor(config)]);
  if (alipay && config.alipay) providers.alipay = alipayProvider(alipay, config.alipay);
  if (wechat) providers.wechatpay = wechatpayProvider(wechat, clock);
  const partner = partnerPayments({ wechat, alipay, alipayConfig: config.alipay }, clock);
  return { providers, alipay, wechat, partner };
}

/** Builds the configured payment providers, and each registered hospital's. */
export async function buildPaymentProviders(
  config: Config,
  clock: Clock,
): Promise<PaymentParts & Pick<CoreDeps, 'partner'>> {
  const { providers, partner } = await paymentChannels(config, clock);
  return { providers, partner, ...followUpOf(config), ...(await receiptsOf(config)) };
}

/** The payment-code follow-up where the function that runs it is named (the API's functions). */
export function followUpOf(config: Config): Pick<PaymentParts, 'followUp'> {
  if (!config.followUp) return {};
  const { functionName, endpoint } = config.followUp;
  const logger = createLogger(config.logLevel, config.stage);
  return {
    followUp: lambdaFollowUp(
      { functionName, endpoint, region: config.region, credentials: awsCredentials },
      logger,
    ),
  };
}

/** A registered hospital's own e-receipt platform account, when connected (its key under the hospital). */
async function hospitalReceipts(
  hospital: Hospital,
  secrets: HospitalSecrets,
): Promise<{ receipts?: ReceiptIssuer }> {
  const account = hospital.receipts;
  const key = account && (await secrets.get(hospital.hospitalId, ERECEIPT_KEY))?.trim();
  return account && key ? { receipts: bosssoftReceipts({ ...account, key }) } : {};
}

/** The dependencies of a function that calls payment providers. */
export const providerDeps = composeDeps({ providers: buildPaymentProviders });

/** The fiscal e-receipt platform of the deployment's own hospital, when configured (its key read once). */
export async function receiptsOf(config: Config): Promise<{ receipts?: ReceiptIssuer }> {
  const r = config.receipts;
  if (!r) return {};
  const [key] = await resolveSecrets([r.keyRef], config.region);
  return { receipts: bosssoftReceipts({ ...r, key }) };
}
