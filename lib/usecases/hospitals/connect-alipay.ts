/**
 * Connect a hospital's Alipay merchant (operator): the merchant has authorised the platform's app
 * (第三方应用授权) and was sent back with an `app_auth_code`; medpay exchanges it for the merchant's
 * `app_auth_token`, keeps the token in the parameter store under the hospital, and from now on the
 * hospital's Alipay payments are made for that merchant (PROTOCOLS §3.2).
 *
 * Primary course:
 *   1. Read the hospital (404 when not registered).
 *   2. Exchange the code (400 when Alipay refuses it: used, expired or unknown).
 *   3. Store the token (and its refresh token) under the hospital, then save the merchant's app and PID,
 *      claiming the app for this hospital alone (409 when another hospital holds it).
 */
import { NotFoundError } from '../../domain/errors';
import {
  ALIPAY_APP_AUTH_TOKEN,
  ALIPAY_REFRESH_TOKEN,
  withChannels,
  type Hospital,
} from '../../domain/hospital';
import type { AppAuthorisations } from '../../ports/app-authorisation';
import type { HospitalSecrets } from '../../ports/hospital-secrets';
import type { HospitalDeps } from './deps';

/** What connecting Alipay needs besides the registry. */
export interface AlipayOnboardingDeps extends HospitalDeps {
  readonly appAuthorisations: AppAuthorisations;
  readonly hospitalSecrets: HospitalSecrets;
}

/** Connects the Alipay merchant that granted `appAuthCode` to `hospitalId`; returns the hospital as saved. */
export async function connectAlipay(
  deps: AlipayOnboardingDeps,
  hospitalId: string,
  appAuthCode: string,
): Promise<Hospital> {
  const current = await deps.hospitals.get(hospitalId);
  if (!current) throw new NotFoundError('hospital', hospitalId);
  const granted = await deps.appAuthorisations.exchange(appAuthCode);
  await deps.hospitalSecrets.put(hospitalId, ALIPAY_APP_AUTH_TOKEN, granted.appAuthToken);
  if (granted.refreshToken)
    await deps.hospitalSecrets.put(hospitalId, ALIPAY_REFRESH_TOKEN, granted.refreshToken);
  const now = deps.clock.now().toISOString();
  const alipay = {
    authAppId: granted.authAppId,
    merchantId: granted.merchantId,
    status: 'AUTHORISED' as const,
    since: now,
  };
  const next = withChannels(current.value, { alipay }, now);
  await deps.hospitals.update(current, next);
  return next;
}
