import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/config';

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
});
