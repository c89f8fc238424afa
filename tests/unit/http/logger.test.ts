import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, redact } from '../../../lib/http/logger';
import { signDevToken } from '../../../lib/http/auth';

describe('log redaction', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.POWERTOOLS_DEV;
  });

  it('never writes key material, tokens or secrets, however they are passed', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const jwt = await signDevToken('a-secret-for-this-test-only-0123456789', { sub: 'P1', role: 'patient' });
    const lines: string[] = [];
    vi.spyOn(console, 'info').mockImplementation((line: string) => lines.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => lines.push(line));
    process.env.POWERTOOLS_DEV = 'true';
    const logger = createLogger('INFO', 'test');
    logger.info('config loaded', {
      apiV3Key: 'abcdefghijklmnopqrstuvwxyz012345',
      privateKey: pem,
      headers: { Authorization: `Bearer ${jwt}` },
    });
    logger.info(`verifying with ${pem}`);
    logger.error('failed', { error: new Error(`token ${jwt} rejected`), jwtSecret: 'shh' });
    logger.info('ok', { paymentId: 'pay_1', amountFen: 2500 });

    const output = lines.join('\n');
    expect(lines).toHaveLength(4);
    expect(output).not.toContain('BEGIN PRIVATE KEY');
    expect(output).not.toContain(pem.split('\n')[1] ?? 'x');
    expect(output).not.toContain(jwt);
    expect(output).not.toContain(jwt.split('.')[2] ?? 'x');
    expect(output).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
    expect(output).not.toContain('shh');
    expect(output).toMatch(/"paymentId":\s*"pay_1"/);
    expect(output).toMatch(/"amountFen":\s*2500/);
  });

  it('keeps ordinary values untouched', () => {
    expect(redact('outTradeNo', 'MP20260301')).toBe('MP20260301');
    expect(redact('amountFen', 100)).toBe(100);
    expect(redact('token', 'x')).toBe('[REDACTED]');
  });
});
