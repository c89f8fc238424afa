/**
 * The app authorisation adapter reads Alipay's answers as published: alipay.open.auth.token.app.query's
 * AlipayOpenAuthTokenAppQueryResponse (status "valid：有效状态；invalid：无效状态", expires_in "应用授权令牌
 * 失效时间，单位到秒", auth_app_id, user_id; A16 and the SDKs' response models), and the refresh grant
 * {grant_type: "refresh_token", refresh_token} answered like the code exchange (A14, A15).
 */
import { describe, expect, it } from 'vitest';
import { alipayAppAuthorisations } from '../../../../lib/adapters/alipay/app-auth';
import type { AlipayClient, AlipayResult } from '../../../../lib/adapters/alipay/client';

/** A gateway client answering `answer` to every call, recording what was asked. */
function answering(answer: AlipayResult) {
  const calls: Array<{ method: string; biz: Record<string, unknown> }> = [];
  const client: AlipayClient = {
    gateway: 'https://openapi.alipay.com/gateway.do',
    exec: (method, biz) => {
      calls.push({ method, biz });
      return Promise.resolve(answer);
    },
    orderString: () => '',
    verifyNotification: () => false,
  };
  return { auth: alipayAppAuthorisations(client), calls };
}

describe('Alipay app authorisations: query and refresh', () => {
  it('query sends the token in biz_content and reads status, app, user and seconds left', async () => {
    const { auth, calls } = answering({
      code: '10000',
      msg: 'Success',
      user_id: '2088102150527498',
      auth_app_id: '2013121100055554',
      expires_in: '31536000',
      auth_methods: '["alipay.open.auth.token.app.query"]',
      auth_start: '2015-06-03 13:41:02',
      auth_end: '2016-06-03 13:41:02',
      status: 'valid',
    });
    expect(await auth.query('201509BBeff9351ad1874306903e96b91d248A36')).toEqual({
      valid: true,
      authAppId: '2013121100055554',
      merchantId: '2088102150527498',
      expiresInSec: 31_536_000,
    });
    expect(calls).toEqual([
      {
        method: 'alipay.open.auth.token.app.query',
        biz: { app_auth_token: '201509BBeff9351ad1874306903e96b91d248A36' },
      },
    ]);
  });

  it('status invalid, or a refusal naming the token, is an invalid token; any other refusal concludes nothing', async () => {
    expect((await answering({ code: '10000', status: 'invalid' }).auth.query('t')).valid).toBe(false);
    const refused = answering({ code: '20001', sub_code: 'aop.invalid-app-auth-token' });
    expect((await refused.auth.query('t')).valid).toBe(false);
    await expect(
      answering({ code: '40004', sub_code: 'isv.insufficient-isv-permissions' }).auth.query('t'),
    ).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });

  it('refresh exchanges the refresh token for a new pair; a refused one is a validation error', async () => {
    const { auth, calls } = answering({
      code: '10000',
      app_auth_token: '201509BBeff9351ad1874306903e96b91d248A36',
      app_refresh_token: '201509BBdcba1e3347de4e75ba3fed2c9abebE36',
      auth_app_id: '2013121100055554',
      user_id: '2088102150527498',
    });
    expect(await auth.refresh('201509BBdcba1e3347de4e75ba3fed2c9abebE35')).toEqual({
      appAuthToken: '201509BBeff9351ad1874306903e96b91d248A36',
      refreshToken: '201509BBdcba1e3347de4e75ba3fed2c9abebE36',
      authAppId: '2013121100055554',
      merchantId: '2088102150527498',
    });
    expect(calls[0]).toEqual({
      method: 'alipay.open.auth.token.app',
      biz: { grant_type: 'refresh_token', refresh_token: '201509BBdcba1e3347de4e75ba3fed2c9abebE35' },
    });
    await expect(
      answering({ code: '40002', sub_code: 'invalid auth_code' }).auth.refresh('x'),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
