/**
 * The daily check of every registered hospital's Alipay authorisation (PROTOCOLS §3.2: the token is
 * long-lived but revocable; ask Alipay about it daily per tenant, and refresh it before it lapses).
 *
 * Primary course, for each hospital whose Alipay merchant is AUTHORISED:
 *   1. Read its token from the hospital's secrets.
 *   2. Ask Alipay about it (alipay.open.auth.token.app.query).
 *   3. Alipay calls it invalid: mark the channel REVOKED (revokeMerchant), so the hospital's Alipay payments
 *      stop with CHANNEL_REVOKED until an operator connects the merchant again.
 *   4. It lapses within the refresh window: exchange the refresh token for a new pair
 *      (alipay.open.auth.token.app, grant_type refresh_token) and store both under the hospital.
 *   5. Record when it was checked and when Alipay says it lapses.
 *
 * Alternative courses:
 *   - No token stored, or a token Alipay says belongs to another merchant app: an integrity alert (logged
 *     and counted), nothing changes.
 *   - Alipay refuses the refresh (the refresh token lapsed too): logged as an error and counted; the merchant
 *     must authorise again before the token lapses.
 *   - Alipay does not answer for one hospital: the others are checked, then the job fails and is retried.
 */
import { ValidationError } from '../../domain/errors';
import {
  ALIPAY_APP_AUTH_TOKEN,
  ALIPAY_REFRESH_TOKEN,
  withChannels,
  type AlipayMerchant,
  type Hospital,
} from '../../domain/hospital';
import type { AppAuthorisations } from '../../ports/app-authorisation';
import type { Clock } from '../../ports/clock';
import type { HospitalSecrets } from '../../ports/hospital-secrets';
import type { HospitalRegistry } from '../../ports/hospitals';
import type { Logger } from '../../ports/logger';
import type { Metrics } from '../../ports/metrics';
import { eachConcurrently } from '../shared/hospitals';
import { revokeMerchant } from './revoke-merchant';

/** What the check needs: the registry, the hospitals' secrets, Alipay, and where to report. */
export interface AlipayCheckDeps {
  readonly hospitals: HospitalRegistry;
  readonly hospitalSecrets: HospitalSecrets;
  readonly appAuthorisations: AppAuthorisations;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** How long before Alipay says a token lapses it is refreshed. */
  readonly refreshBeforeSec: number;
}

/** What the check did for one hospital. */
export type AlipayCheckOutcome = 'valid' | 'refreshed' | 'revoked' | 'alert' | 'refresh-refused';

/** Checks every registered hospital's Alipay authorisation; returns the outcome by hospital. */
export async function checkAlipayAuthorisations(
  deps: AlipayCheckDeps,
): Promise<Record<string, AlipayCheckOutcome>> {
  const due: Hospital[] = [];
  for await (const h of deps.hospitals.all()) if (h.channels.alipay?.status === 'AUTHORISED') due.push(h);
  const outcomes: Record<string, AlipayCheckOutcome> = {};
  await eachConcurrently(due, async (h) => {
    outcomes[h.hospitalId] = await checkOne(deps, h.hospitalId).catch((error: unknown) => {
      deps.logger.error('Alipay authorisation check failed', { hospitalId: h.hospitalId, error });
      throw error;
    });
  });
  return outcomes;
}

/** Checks one hospital's authorisation (steps 1–5). */
async function checkOne(deps: AlipayCheckDeps, hospitalId: string): Promise<AlipayCheckOutcome> {
  const current = await deps.hospitals.get(hospitalId);
  const merchant = current?.value.channels.alipay;
  if (!current || merchant?.status !== 'AUTHORISED') return 'valid';
  const token = await deps.hospitalSecrets.get(hospitalId, ALIPAY_APP_AUTH_TOKEN);
  if (!token) return alert(deps, hospitalId, 'app_auth_token', 'stored', 'none');
  const state = await deps.appAuthorisations.query(token);
  if (!state.valid) {
    await revokeMerchant(deps, 'alipay', merchant.authAppId);
    deps.logger.warn('Alipay says the hospital authorisation is invalid: its Alipay channel is revoked', {
      hospitalId,
      authAppId: merchant.authAppId,
    });
    deps.metrics.count('AppAuthorisationsRevoked', { channel: 'alipay' });
    return 'revoked';
  }
  if (state.authAppId !== undefined && state.authAppId !== merchant.authAppId)
    return alert(deps, hospitalId, 'auth_app_id', merchant.authAppId, state.authAppId);
  const now = deps.clock.now();
  const lapsesAt = (sec: number | undefined) =>
    sec === undefined ? undefined : new Date(now.getTime() + sec * 1000).toISOString();
  let expiresAt = lapsesAt(state.expiresInSec);
  let outcome: AlipayCheckOutcome = 'valid';
  if (state.expiresInSec !== undefined && state.expiresInSec <= deps.refreshBeforeSec) {
    const refreshed = await refresh(deps, hospitalId, merchant);
    outcome = refreshed ? 'refreshed' : 'refresh-refused';
    if (refreshed) expiresAt = lapsesAt((await deps.appAuthorisations.query(refreshed)).expiresInSec);
  }
  const checked: AlipayMerchant = {
    ...merchant,
    checkedAt: now.toISOString(),
    ...(expiresAt ? { expiresAt } : {}),
  };
  await deps.hospitals.update(current, withChannels(current.value, { alipay: checked }, now.toISOString()));
  return outcome;
}

/** Step 4: the new token, stored under the hospital; undefined when Alipay refuses the refresh. */
async function refresh(deps: AlipayCheckDeps, hospitalId: string, merchant: AlipayMerchant) {
  const refreshToken = await deps.hospitalSecrets.get(hospitalId, ALIPAY_REFRESH_TOKEN);
  try {
    if (!refreshToken) throw new ValidationError('No refresh token is stored for the hospital.', []);
    const granted = await deps.appAuthorisations.refresh(refreshToken);
    if (granted.authAppId !== merchant.authAppId) {
      alert(deps, hospitalId, 'auth_app_id', merchant.authAppId, granted.authAppId);
      return undefined;
    }
    await deps.hospitalSecrets.put(hospitalId, ALIPAY_APP_AUTH_TOKEN, granted.appAuthToken);
    if (granted.refreshToken)
      await deps.hospitalSecrets.put(hospitalId, ALIPAY_REFRESH_TOKEN, granted.refreshToken);
    deps.logger.info('Alipay authorisation refreshed', { hospitalId });
    return granted.appAuthToken;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    deps.logger.error(
      'Alipay refused to refresh the hospital authorisation: the merchant must authorise again',
      {
        hospitalId,
        authAppId: merchant.authAppId,
        error,
      },
    );
    deps.metrics.count('AppAuthorisationRefreshRefused', { channel: 'alipay' });
    return undefined;
  }
}

/** Reports a token that does not match the record: logged and counted as an integrity alert. */
function alert(
  deps: AlipayCheckDeps,
  hospitalId: string,
  field: string,
  recorded: string,
  reported: string,
): 'alert' {
  deps.logger.error('integrity alert: the Alipay authorisation does not match the hospital record', {
    hospitalId,
    mismatches: [{ field, recorded, reported }],
  });
  deps.metrics.count('IntegrityAlerts', { channel: 'alipay' });
  return 'alert';
}
