/**
 * `npm run doctor` (#12): a correct stage passes, and each misconfiguration is reported clearly: a missing
 * key, an APIv3 key that is not 32 bytes, an expired platform certificate, an http notify URL on a deployed
 * stage, and a merchant key that is not the merchant serial's (refused by the sandbox's WeChat Pay, as
 * WeChat Pay answers 401 SIGN_ERROR). The certificate is made by the openssl CLI, not by medpay.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSecret } from '../../../lib/config/secrets';
import { diagnose, type Finding } from '../../../scripts/lib/doctor';
import { rsaKeyPair } from '../../support/provider-keys';
import { sandboxWithProviders } from '../../support/sandbox';

const dir = mkdtempSync(join(tmpdir(), 'medpay-doctor-'));
let t: Awaited<ReturnType<typeof sandboxWithProviders>>;
let env: Record<string, string>;
const now = new Date();

const file = (name: string, content: string) => {
  writeFileSync(join(dir, name), content, { mode: 0o600 });
  return `file:${join(dir, name)}`;
};
const run = (overrides: Record<string, string> = {}, stage = 'local', at = now) =>
  diagnose(
    { ...env, ...overrides },
    { stage, now: at, readSecret: (ref) => resolveSecret(ref, 'cn-north-1') },
  );
const failures = (findings: Finding[]) => findings.filter((f) => f.status === 'fail');

beforeAll(async () => {
  t = await sandboxWithProviders('http://127.0.0.1:9');
  const w = t.ids.wechatpay;
  env = {
    TABLE_NAME: 'medpay-local',
    AUTH_MODE: 'hs256',
    AUTH_HS256_SECRET: file('jwt', 'a'.repeat(48)),
    ALIPAY_APP_ID: t.ids.alipay.appId,
    ALIPAY_SELLER_ID: t.ids.alipay.sellerId,
    ALIPAY_GATEWAY: `${t.sandbox.url}/alipay/gateway.do`,
    ALIPAY_APP_PRIVATE_KEY: file('alipay-app.pem', t.keys.alipayApp.privateKey),
    ALIPAY_PUBLIC_KEY: file('alipay-public.pem', t.keys.alipayPlatform.publicKey),
    ALIPAY_NOTIFY_URL: 'http://127.0.0.1:3000/webhooks/alipay',
    WECHATPAY_MCH_ID: w.mchId,
    WECHATPAY_APP_ID: 'wx8888888888888888',
    WECHATPAY_BASE_URL: `${t.sandbox.url}/`,
    WECHATPAY_MERCHANT_SERIAL: w.merchantSerial,
    WECHATPAY_MERCHANT_PRIVATE_KEY: file('merchant.pem', t.keys.merchant.privateKey),
    WECHATPAY_APIV3_KEY: file('apiv3', t.apiV3Key),
    WECHATPAY_PLATFORM_KEYS: `${w.publicKeyId}=${file('wechat-public.pem', t.keys.publicKey.publicKey)}`,
    WECHATPAY_NOTIFY_URL: 'http://127.0.0.1:3000/webhooks/wechatpay',
  };
});
afterAll(async () => {
  await t.sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run doctor', () => {
  it('passes a correct stage, the providers accepting our signatures and their answers verifying', async () => {
    const findings = await run();
    expect(failures(findings)).toEqual([]);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'WECHATPAY_APIV3_KEY', status: 'ok' }),
        expect.objectContaining({ check: 'Alipay gateway', status: 'ok' }),
        expect.objectContaining({ check: 'WeChat Pay API', status: 'ok' }),
      ]),
    );
  });

  it('reports a missing key', async () => {
    const missing = `file:${join(dir, 'never-written.pem')}`;
    expect(failures(await run({ ALIPAY_APP_PRIVATE_KEY: missing }))).toEqual([
      { check: 'ALIPAY_APP_PRIVATE_KEY', status: 'fail', detail: `${missing} cannot be read (ENOENT)` },
    ]);
  });

  it('reports a callback signing key that is too short, and http callbacks on a deployed stage', async () => {
    expect(failures(await run({ CALLBACK_SIGNING_KEY: file('signing', 'k'.repeat(31)) }))).toEqual([
      expect.objectContaining({ check: 'CALLBACK_SIGNING_KEY', status: 'fail' }),
    ]);
    expect(failures(await run({ CALLBACK_SIGNING_KEY: file('signing-ok', 'k'.repeat(43)) }))).toEqual([]);
    expect(failures(await run({ CALLBACK_ALLOW_HTTP: 'true' }, 'prod'))).toEqual(
      expect.arrayContaining([expect.objectContaining({ check: 'CALLBACK_ALLOW_HTTP', status: 'fail' })]),
    );
  });

  it('reports an APIv3 key that is not 32 bytes', async () => {
    const findings = failures(await run({ WECHATPAY_APIV3_KEY: file('short', 'k'.repeat(31)) }, 'local'));
    expect(findings[0]).toEqual({
      check: 'WECHATPAY_APIV3_KEY',
      status: 'fail',
      detail: 'must be 32 bytes (AES-256-GCM), is 31',
    });
  });

  it('reports an expired platform certificate, and warns before it expires', async () => {
    const serial = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'platform-key.pem',
        '-out',
        'platform-cert.pem',
      ].concat(['-days', '10', '-subj', '/CN=Tenpay.com Root CA', '-set_serial', `0x${serial}`]),
      { cwd: dir, stdio: 'pipe' },
    );
    const keys = `${serial}=file:${join(dir, 'platform-cert.pem')}`;
    const issued = new Date(Date.now() + 60_000); // after openssl's notBefore (whole seconds)
    const soon = await run({ WECHATPAY_PLATFORM_KEYS: keys }, 'local', issued);
    expect(soon.find((f) => f.check === `WECHATPAY_PLATFORM_KEYS ${serial}`)).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^valid until .*rotate it now/),
    });
    const later = await run(
      { WECHATPAY_PLATFORM_KEYS: keys },
      'local',
      new Date(issued.getTime() + 11 * 86_400_000),
    );
    expect(failures(later)).toEqual([
      expect.objectContaining({
        check: `WECHATPAY_PLATFORM_KEYS ${serial}`,
        detail: expect.stringMatching(/^expired/),
      }),
    ]);
    // Filed under another serial, the certificate is refused whatever its dates.
    const misfiled = await run({ WECHATPAY_PLATFORM_KEYS: `ABCDEF=file:${join(dir, 'platform-cert.pem')}` });
    expect(failures(misfiled)[0]?.detail).toMatch(/is the certificate of serial 5157F09E.*, not ABCDEF/);
  });

  it('reports an http notify URL on a deployed stage (and allows it locally)', async () => {
    const findings = failures(await run({}, 'prod'));
    expect(findings).toEqual(
      expect.arrayContaining([
        {
          check: 'WECHATPAY_NOTIFY_URL',
          status: 'fail',
          detail: expect.stringMatching(/must be an https URL/),
        },
        { check: 'ALIPAY_NOTIFY_URL', status: 'fail', detail: expect.stringMatching(/must be an https URL/) },
      ]),
    );
  });

  it('reports a merchant key that is not the merchant serial’s (WeChat Pay SIGN_ERROR)', async () => {
    const other = file('other-merchant.pem', rsaKeyPair().privateKey);
    expect(failures(await run({ WECHATPAY_MERCHANT_PRIVATE_KEY: other }))).toEqual([
      {
        check: 'WeChat Pay API',
        status: 'fail',
        detail: `SIGN_ERROR: the merchant private key is not the key of serial ${t.ids.wechatpay.merchantSerial}`,
      },
    ]);
  });
});
