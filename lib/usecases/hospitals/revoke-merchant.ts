/**
 * A merchant revoked the platform's authorisation (Alipay's alipay.open.auth.appauth.cancelled, or a call
 * refused with aop.invalid-app-auth-token): its hospital's Alipay channel is marked REVOKED, so the
 * hospital's Alipay payments stop with CHANNEL_REVOKED until an operator connects it again.
 *
 * Primary course:
 *   1. Find the hospital holding the merchant (none: nothing to revoke, answered so the provider stops).
 *   2. Mark its channel REVOKED (already REVOKED: a repeat, nothing changes).
 */
import { withChannels } from '../../domain/hospital';
import type { Channel } from '../../domain/ledger/accounts';
import type { Clock } from '../../ports/clock';
import type { HospitalRegistry } from '../../ports/hospitals';

/** Marks the channel of the hospital holding `merchant` revoked; returns what happened. */
export async function revokeMerchant(
  deps: { readonly hospitals: HospitalRegistry; readonly clock: Clock },
  channel: Channel,
  merchant: string | undefined,
): Promise<'revoked' | 'already-revoked' | 'unknown-merchant'> {
  const hospitalId = merchant && (await deps.hospitals.ofMerchant(channel, merchant))?.hospitalId;
  const current = hospitalId ? await deps.hospitals.get(hospitalId) : undefined;
  const alipay = current?.value.channels.alipay;
  if (!current || channel !== 'alipay' || !alipay || alipay.authAppId !== merchant) return 'unknown-merchant';
  if (alipay.status === 'REVOKED') return 'already-revoked';
  const now = deps.clock.now().toISOString();
  await deps.hospitals.update(
    current,
    withChannels(current.value, { alipay: { ...alipay, status: 'REVOKED', since: now } }, now),
  );
  return 'revoked';
}
