/** Work that runs for every hospital: the scheduled jobs, each over one hospital's records at a time. */
import { IntegrityAlertError } from '../../domain/errors';
import type { ProviderEvent } from '../../ports/payment-provider';
import type { HospitalRegistry, InHospital } from '../../ports/hospitals';
import type { Logger } from '../../ports/logger';

/** What running per hospital needs: the registry, the scoping, and a logger for a hospital's failure. */
export interface PerHospitalDeps {
  readonly hospitalId: string;
  readonly hospitals: HospitalRegistry;
  readonly inHospital: InHospital;
  readonly logger: Logger;
}

/** How many hospitals' work runs at once. */
const CONCURRENCY = 8;

/**
 * The ids of every hospital the jobs look after: the default hospital, then each registered one, suspended
 * ones too (their payments, refunds and settlements already under way still complete).
 */
export async function hospitalIds(deps: PerHospitalDeps): Promise<string[]> {
  const ids = [deps.hospitalId];
  for await (const h of deps.hospitals.all()) if (h.hospitalId !== deps.hospitalId) ids.push(h.hospitalId);
  return ids;
}

/**
 * Runs `run` once per hospital (hospitalIds), with that hospital's stores, a few at a time. One hospital's failure
 * does not stop the others: each is logged, and the first is thrown once all have run (so the job retries).
 * Returns each hospital's result by id.
 */
export async function forEachHospital<D extends PerHospitalDeps, R>(
  deps: D,
  run: (scoped: D) => Promise<R>,
): Promise<Record<string, R>> {
  const results: Record<string, R> = {};
  await eachConcurrently(await hospitalIds(deps), async (hospitalId) => {
    try {
      results[hospitalId] = await run(await deps.inHospital(deps, hospitalId));
    } catch (error) {
      deps.logger.error('hospital job failed', { hospitalId, error });
      throw error;
    }
  });
  return results;
}

/**
 * Runs `run` for every item, CONCURRENCY at a time; every item runs even when some fail, and the first
 * failure is thrown once all have run.
 */
export async function eachConcurrently<T>(items: readonly T[], run: (item: T) => Promise<void>) {
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}

/**
 * The hospital a verified notification belongs to: in partner mode the one that holds the merchant it
 * names (WeChat Pay sub_mchid, Alipay auth_app_id), otherwise the default hospital (direct mode). Where the notification came to a URL that names a
 * hospital (`sentTo`: partner orders' notify_url ends with their hospital's id), the two must agree, and a
 * sub-merchant's notification must come to one. An authentic notification naming a sub-merchant no hospital
 * holds, or another hospital than the one its order was made for, is an integrity alert: nothing is applied.
 */
export async function notificationHospital(
  deps: Pick<PerHospitalDeps, 'hospitalId' | 'hospitals'>,
  event: Pick<ProviderEvent, 'channel' | 'subMerchant' | 'merchantId'>,
  sentTo: string | undefined,
): Promise<string> {
  const { channel, subMerchant } = event;
  const claim = subMerchant === undefined ? undefined : await deps.hospitals.ofMerchant(channel, subMerchant);
  const holder = subMerchant === undefined ? deps.hospitalId : claim?.hospitalId;
  if (holder === undefined)
    throw new IntegrityAlertError('notification', [
      {
        field: channel === 'wechatpay' ? 'sub_mchid' : 'auth_app_id',
        recorded: 'a registered hospital',
        reported: subMerchant,
      },
    ]);
  // Partner orders are made with their hospital's URL, so a sub-merchant's notification comes to one.
  const expected = sentTo ?? (subMerchant === undefined ? holder : 'a hospital URL');
  if (expected !== holder)
    throw new IntegrityAlertError('notification', [
      { field: 'hospital', recorded: expected, reported: holder },
    ]);
  // An Alipay partner notification's seller must be the merchant that authorised the hospital's app.
  if (channel === 'alipay' && claim && claim.merchantId !== event.merchantId)
    throw new IntegrityAlertError('notification', [
      { field: 'seller_id', recorded: claim.merchantId, reported: event.merchantId },
    ]);
  return holder;
}
