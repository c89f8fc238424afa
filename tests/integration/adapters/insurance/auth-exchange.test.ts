/**
 * The wallets' insurance authorisations against the sandbox over real HTTP: Alipay's
 * alipay.system.oauth.token + alipay.commerce.medical.authinfo.auth.query (RSA2 both ways) and WeChat's
 * stand-in exchange. An auth code serves once (Alipay: "auth_code为1次有效", opendocs.alipay.com/support/01rg6z;
 * WeChat: "qrcode 只能使用一次", cqc-hub/stand3.0 clinicPayDetail.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxWithProviders } from '../../../support/sandbox';

describe('insurance authorisation exchange (AuthExchange)', () => {
  let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
  beforeAll(async () => {
    env = await sandboxWithProviders('http://127.0.0.1:9');
  });
  afterAll(() => env.sandbox.close());

  for (const channel of ['alipay', 'wechatpay'] as const) {
    it(`${channel}: exchanges an auth code once for a payAuthNo the platform knows, then refuses it`, async () => {
      const payerId = channel === 'alipay' ? '2088000000000001' : 'o-auth-1';
      const { authCode } = env.sandbox.platform.authorise({ channel, payerId, insuredRegion: '440300' });
      const auth = await env.insurance.auth[channel].exchange({ authCode, payerId });
      expect(auth.payAuthNo).toBe(env.sandbox.platform.authorisations.get(authCode)?.payAuthNo);
      expect(auth.insuredRegion).toBe('440300');
      if (channel === 'wechatpay') expect(auth.location).toBe('113.264385,23.129112');
      else expect(auth.medicalCard).toMatchObject({ instId: 'NATHSA' });
      await expect(env.insurance.auth[channel].exchange({ authCode, payerId })).rejects.toMatchObject({
        code: 'INSURANCE_AUTH_INVALID',
      });
    });

    it(`${channel}: refuses an unknown or expired auth code, and one authorised by someone else`, async () => {
      const auth = env.insurance.auth[channel];
      await expect(auth.exchange({ authCode: 'AC-NEVER-ISSUED', payerId: 'x' })).rejects.toMatchObject({
        code: 'INSURANCE_AUTH_INVALID',
      });
      const expired = env.sandbox.platform.authorise({ channel, payerId: 'p1' });
      const a = env.sandbox.platform.authorisations.get(expired.authCode);
      if (a) a.expiresAt = new Date(Date.now() - 1);
      await expect(auth.exchange({ authCode: expired.authCode, payerId: 'p1' })).rejects.toMatchObject({
        code: 'INSURANCE_AUTH_INVALID',
      });
      const other = env.sandbox.platform.authorise({ channel, payerId: 'someone-else' });
      await expect(auth.exchange({ authCode: other.authCode, payerId: 'p1' })).rejects.toMatchObject({
        code: 'INSURANCE_AUTH_INVALID',
      });
    });
  }
});
