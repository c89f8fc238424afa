import { describe, expect, it } from 'vitest';
import { deployedStageIssues, loadConfig, parseConfig } from '../../../lib/config/config';

describe('loadConfig', () => {
  it('parses a local environment with defaults', () => {
    const config = loadConfig({
      TABLE_NAME: 'medpay-local',
      AUTH_HS256_SECRET: 'file:.local/jwt-hs256-secret',
    });
    expect(config).toMatchObject({
      stage: 'local',
      region: 'cn-north-1',
      auth: { mode: 'hs256', secretRef: 'file:.local/jwt-hs256-secret' },
      idempotency: { ttlSec: 86_400, lockMs: 30_000 },
    });
  });

  it('treats empty values as unset, as serverless renders absent parameters', () => {
    expect(
      loadConfig({
        TABLE_NAME: 'medpay-prod',
        AUTH_MODE: 'jwks',
        AUTH_JWKS_URL: 'https://idp.example/jwks',
        AUTH_ISSUER: '',
      }).auth,
    ).toEqual({
      mode: 'jwks',
      jwksUrl: 'https://idp.example/jwks',
      issuer: undefined,
      audience: undefined,
    });
  });

  it('lists every problem at once, and refuses a secret given in clear', () => {
    expect(() => loadConfig({ AUTH_HS256_SECRET: 'plain-secret', IDEMPOTENCY_TTL_SEC: '5' })).toThrow(
      /TABLE_NAME[\s\S]*AUTH_HS256_SECRET: must be a secret reference[\s\S]*IDEMPOTENCY_TTL_SEC/,
    );
  });

  it('needs the secret or the JWKS URL that the auth mode uses', () => {
    expect(() => loadConfig({ TABLE_NAME: 'medpay-prod', AUTH_MODE: 'jwks' })).toThrow(
      /AUTH_JWKS_URL: required when AUTH_MODE=jwks/,
    );
    expect(() => loadConfig({ TABLE_NAME: 'medpay-prod' })).toThrow(
      /AUTH_HS256_SECRET: required when AUTH_MODE=hs256/,
    );
  });

  it('names every missing variable of a partly configured channel', () => {
    const parsed = parseConfig({
      TABLE_NAME: 'medpay-prod',
      AUTH_HS256_SECRET: 'ssm:/medpay/prod/jwt-hs256-secret',
      WECHATPAY_MCH_ID: '1900000109',
      WECHATPAY_APIV3_KEY: 'ssm:/medpay/prod/wechatpay-apiv3-key',
    });
    expect(parsed.ok).toBe(false);
    const missing = parsed.ok ? [] : parsed.issues.map((i) => i.variable);
    expect(missing).toEqual([
      'WECHATPAY_APP_ID',
      'WECHATPAY_BASE_URL',
      'WECHATPAY_MERCHANT_SERIAL',
      'WECHATPAY_MERCHANT_PRIVATE_KEY',
      'WECHATPAY_PLATFORM_KEYS',
      'WECHATPAY_NOTIFY_URL',
    ]);
  });
});

describe('deployedStageIssues', () => {
  it('needs a payment channel', () => {
    expect(deployedStageIssues({}).map((i) => i.message)).toEqual([
      expect.stringMatching(/^no payment channel is configured/),
    ]);
  });

  it('needs https, and notify URLs at the webhook paths', () => {
    const issues = deployedStageIssues({
      WECHATPAY_MCH_ID: '1900000109',
      WECHATPAY_NOTIFY_URL: 'http://pay.hospital.example.cn/webhooks/wechatpay',
      ALIPAY_APP_ID: '2021000000000000',
      ALIPAY_NOTIFY_URL: 'https://pay.hospital.example.cn/notify',
      AUTH_JWKS_URL: 'https://idp.hospital.example.cn/jwks.json',
    });
    expect(issues).toEqual([
      { variable: 'ALIPAY_NOTIFY_URL', message: expect.stringContaining('/webhooks/alipay') },
      { variable: 'WECHATPAY_NOTIFY_URL', message: expect.stringContaining('https') },
    ]);
  });
});
