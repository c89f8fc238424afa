/**
 * The finance part of the composition root: the providers' bill sources, built only by the functions that
 * reconcile (POST /reconciliations and the daily finance job).
 */
import { alipayBillSource } from '../adapters/alipay/bill';
import { wechatBillSource } from '../adapters/wechatpay/bill';
import type { Channel } from '../domain/ledger/accounts';
import type { BillSource } from '../ports/bill-source';
import type { Clock } from '../ports/clock';
import { alipayActingFor, alipayClientFor, wechatpayConfigFor } from './channels';
import type { Config } from './config';
import { composeDeps, type BillParts, type CoreDeps } from './container';
import type { Hospital } from '../domain/hospital';
import type { HospitalSecrets } from '../ports/hospital-secrets';
import { buildPaymentProviders } from './providers';

/** Builds the configured channels' bill sources, and each registered hospital's (its sub-merchant's bill). */
export async function buildBillSources(
  config: Config,
  clock: Clock,
): Promise<BillParts & Pick<CoreDeps, 'partner'>> {
  const bills: Partial<Record<Channel, BillSource>> = {};
  // Both channels at once: their secrets share one SSM batch (./secrets.ts).
  const [alipay, wechat] = await Promise.all([alipayClientFor(config), wechatpayConfigFor(config)]);
  if (alipay) bills.alipay = alipayBillSource(alipay);
  if (wechat) bills.wechatpay = wechatBillSource(wechat, clock);
  /** A registered hospital's bills: its sub-merchant's, and its Alipay merchant's through its app_auth_token. */
  const partner = async (hospital: Hospital, secrets: HospitalSecrets): Promise<BillParts> => {
    const own: Partial<Record<Channel, BillSource>> = {};
    const sub = hospital.channels.wechatpay?.subMchId;
    if (wechat && sub) own.wechatpay = wechatBillSource(wechat, clock, sub);
    const merchant = alipay && (await alipayActingFor(alipay, hospital, secrets));
    if (merchant) own.alipay = alipayBillSource(merchant);
    return { bills: own };
  };
  return { bills, partner };
}

/** The dependencies of a function that reconciles. */
export const billDeps = composeDeps({ providers: buildBillSources });

/** The dependencies of the discrepancy actions: the bills (matched-late) and the providers (re-query). */
export const discrepancyDeps = composeDeps({
  providers: async (config, clock) => {
    const [payments, bills] = await Promise.all([
      buildPaymentProviders(config, clock),
      buildBillSources(config, clock),
    ]);
    const partner = async (hospital: Hospital, secrets: HospitalSecrets) => ({
      ...(await payments.partner?.(hospital, secrets)),
      ...(await bills.partner?.(hospital, secrets)),
    });
    return { ...payments, ...bills, partner };
  },
});
