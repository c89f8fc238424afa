/**
 * Alipay's third-party application authorisation: `alipay.open.auth.token.app` with
 * `{grant_type: "authorization_code", code}` exchanges the merchant's single-use `app_auth_code` (valid 24 h)
 * for `app_auth_token`, `app_refresh_token`, `auth_app_id` (授权商户的appid) and `user_id` (授权商户的user_id)
 * (PROTOCOLS §3.2: AlipayOpenAuthTokenAppModel / AlipayOpenAuthTokenAppResponse, A14, A15; AL-ISV1). The 2024
 * SDK also returns them as `tokens[]`, which is read when the top-level fields are absent.
 */
import { ProviderUnavailableError, ValidationError } from '../../domain/errors';
import type { AppAuthorisation, AppAuthorisations } from '../../ports/app-authorisation';
import { alipayOk, alipaySystemError, type AlipayClient } from './client';

/** The exchange over the platform app's signed gateway. */
export function alipayAppAuthorisations(client: AlipayClient): AppAuthorisations {
  return {
    async exchange(code) {
      const r = await client.exec('alipay.open.auth.token.app', { grant_type: 'authorization_code', code });
      if (alipaySystemError(r))
        throw new ProviderUnavailableError(`Alipay could not exchange the code: ${r.sub_code ?? r.code}.`, {
          channel: 'alipay',
        });
      if (!alipayOk(r))
        throw new ValidationError(`Alipay refused the app_auth_code: ${r.sub_code ?? r.code}.`, [
          { path: 'body.appAuthCode', message: `refused by Alipay (${r.sub_code ?? r.code})` },
        ]);
      const first = firstToken((r as Record<string, unknown>).tokens);
      const token = r.app_auth_token ?? first?.app_auth_token;
      const authAppId = r.auth_app_id ?? first?.auth_app_id;
      const merchantId = r.user_id ?? first?.user_id;
      if (!token || !authAppId || !merchantId)
        throw new ProviderUnavailableError('Alipay answered the exchange without a token, app or user id.', {
          channel: 'alipay',
        });
      const refreshToken = r.app_refresh_token ?? first?.app_refresh_token;
      const authorisation: AppAuthorisation = {
        appAuthToken: token,
        authAppId,
        merchantId,
        ...(refreshToken ? { refreshToken } : {}),
      };
      return authorisation;
    },
  };
}

/** The first entry of the answer's `tokens` array, if it has one. */
function firstToken(tokens: unknown): Record<string, string | undefined> | undefined {
  return Array.isArray(tokens) && typeof tokens[0] === 'object' && tokens[0] !== null
    ? (tokens[0] as Record<string, string | undefined>)
    : undefined;
}
