import { execFileSync } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlipaySdk } from 'alipay-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { alipayClient } from '../../../../lib/adapters/alipay/client';
import { verifyAlipayNotification } from '../../../../lib/adapters/alipay/notification';
import { NotificationRejectedError } from '../../../../lib/domain/errors';

/** Certificates as Alipay's certificate mode uses them: a root, Alipay's public-key cert and the app's cert. */
const dir = mkdtempSync(join(tmpdir(), 'medpay-alipay-certs-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
openssl(
  'req',
  '-x509',
  '-newkey',
  'rsa:2048',
  '-nodes',
  '-keyout',
  'root.key',
  '-out',
  'root.crt',
  '-days',
  '3650',
  '-subj',
  '/CN=Sandbox Root CA',
);
for (const name of ['alipay', 'app']) {
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'root.crt',
    '-CAkey',
    'root.key',
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '365',
  );
}
const file = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('Alipay certificate mode', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ids = { appId: '2021000122671080', sellerId: '2088102177846875' };
  const appKey = execFileSync('openssl', [
    'pkcs8',
    '-topk8',
    '-nocrypt',
    '-in',
    join(dir, 'app.key'),
  ]).toString();
  const sdk = alipayClient({
    mode: 'certificate',
    appId: ids.appId,
    appPrivateKey: appKey,
    appCert: file('app.crt'),
    alipayPublicCert: file('alipay.crt'),
    alipayRootCert: file('root.crt'),
    gateway: 'http://127.0.0.1:9/gateway.do',
  });

  const notification = (signer: string) => {
    const params: Record<string, string> = {
      notify_id: 'n1',
      app_id: ids.appId,
      seller_id: ids.sellerId,
      out_trade_no: 'MP1',
      trade_no: 'T1',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '1.00',
      gmt_payment: '2026-03-01 10:00:00',
      charset: 'utf-8',
    };
    const content = Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
    const sign = createSign('RSA-SHA256').update(content).sign(signer, 'base64');
    return {
      headers: {},
      body: Buffer.from(new URLSearchParams({ ...params, sign_type: 'RSA2', sign }).toString()),
    };
  };

  it("verifies notifications with the key in Alipay's public-key certificate", () => {
    expect(verifyAlipayNotification(sdk, ids, notification(file('alipay.key'))).kind).toBe(
      'payment.succeeded',
    );
  });

  it('rejects one signed by the app key instead', () => {
    expect(() => verifyAlipayNotification(sdk, ids, notification(file('app.key')))).toThrow(
      NotificationRejectedError,
    );
  });

  it('signs requests with the certificate serial numbers alipay-sdk derives from the same certificates', () => {
    const official = new AlipaySdk({
      appId: ids.appId,
      privateKey: appKey,
      appCertContent: file('app.crt'),
      alipayPublicCertContent: file('alipay.crt'),
      alipayRootCertContent: file('root.crt'),
    }).config;
    const params = new URLSearchParams(sdk.orderString('alipay.trade.query', { out_trade_no: 'o1' }));
    expect(params.get('app_cert_sn')).toMatch(/^[0-9a-f]{32}$/);
    expect(params.get('app_cert_sn')).toBe(official.appCertSn);
    expect(params.get('alipay_root_cert_sn')).toBe(official.alipayRootCertSn);
  });
});
