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

/** The exchange, query and refresh over the platform app's signed gateway. */
export function alipayAppAuthorisations(client: AlipayClient): AppAuthorisations {
  /** alipay.open.auth.token.app with `biz` (a code, or a refresh token), read as AlipayOpenAuthTokenAppResponse. */
  async function grant(biz: Record<string, string>, field: string): Promise<AppAuthorisation> {
    const r = await client.exec('alipay.open.auth.token.app', biz);
    if (alipaySystemError(r))
      throw new ProviderUnavailableError(`Alipay could not exchange the grant: ${r.sub_code ?? r.code}.`, {
        channel: 'alipay',
      });
    if (!alipayOk(r))
      throw new ValidationError(`Alipay refused the ${biz.grant_type}: ${r.sub_code ?? r.code}.`, [
        { path: field, message: `refused by Alipay (${r.sub_code ?? r.code})` },
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
    return { appAuthToken: token, authAppId, merchantId, ...(refreshToken ? { refreshToken } : {}) };
  }

  return {
    exchange: (code) => grant({ grant_type: 'authorization_code', code }, 'body.appAuthCode'),

    // {grant_type: "refresh_token", refresh_token: <app_refresh_token>} (A14; AL-ISV3: once re_expires_in
    // has passed the merchant must authorise again).
    refresh: (refreshToken) =>
      grant({ grant_type: 'refresh_token', refresh_token: refreshToken }, 'appRefreshToken'),

    // alipay.open.auth.token.app.query{app_auth_token} → status valid | invalid, auth_app_id, user_id,
    // expires_in in seconds (A16; AlipayOpenAuthTokenAppQueryResponse in the SDKs: "valid：有效状态；
    // invalid：无效状态", "应用授权令牌失效时间，单位到秒"). A token Alipay no longer knows is invalid.
    async query(appAuthToken) {
      const r = await client.exec('alipay.open.auth.token.app.query', { app_auth_token: appAuthToken });
      // Alipay refuses a revoked or replaced token as aop.invalid-app-auth-token (developer.aliyun.com/ask/
      // 285051); any other refusal says nothing of the token, so nothing is concluded from it.
      if (/invalid-app-auth-token/.test(r.sub_code ?? '')) return { valid: false };
      if (!alipayOk(r))
        throw new ProviderUnavailableError(
          `Alipay could not answer for the token: ${r.sub_code ?? r.code}.`,
          {
            channel: 'alipay',
          },
        );
      const expires = Number(r.expires_in);
      return {
        valid: r.status === 'valid',
        ...(r.auth_app_id ? { authAppId: r.auth_app_id } : {}),
        ...(r.user_id ? { merchantId: r.user_id } : {}),
        ...(r.expires_in !== undefined && Number.isSafeInteger(expires) ? { expiresInSec: expires } : {}),
      };
    },
  };
}

/** The first entry of the answer's `tokens` array, if it has one. */
function firstToken(tokens: unknown): Record<string, string | undefined> | undefined {
  return Array.isArray(tokens) && typeof tokens[0] === 'object' && tokens[0] !== null
    ? (tokens[0] as Record<string, string | undefined>)
    : undefined;
}
