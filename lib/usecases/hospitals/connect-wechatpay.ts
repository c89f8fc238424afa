/**
 * Connect a hospital's WeChat Pay sub-merchant (operator): from now on its WeChat payments go through the
 * partner APIs as `sub_mchid` (PROTOCOLS §3.1), and notifications naming that sub-merchant are its own.
 *
 * Primary course:
 *   1. Read the hospital (404 when not registered).
 *   2. Save the sub-merchant, claiming it for this hospital alone (409 when another hospital holds it).
 */
import { NotFoundError } from '../../domain/errors';
import { withChannels, type Hospital, type WechatSubMerchant } from '../../domain/hospital';
import type { HospitalDeps } from './deps';

/** Connects `subMerchant` to `hospitalId`; returns the hospital as saved. */
export async function connectWechatpay(
  deps: HospitalDeps,
  hospitalId: string,
  subMerchant: WechatSubMerchant,
): Promise<Hospital> {
  const current = await deps.hospitals.get(hospitalId);
  if (!current) throw new NotFoundError('hospital', hospitalId);
  const next = withChannels(current.value, { wechatpay: subMerchant }, deps.clock.now().toISOString());
  await deps.hospitals.update(current, next);
  return next;
}
