import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../../../lib/adapters/system/logger';
import { signDevToken } from '../../../../lib/http/auth';

describe('log redaction', () => {
  it('never writes key material, tokens or secrets, however they are passed', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const jwt = await signDevToken('a-secret-for-this-test-only-0123456789', { sub: 'P1', role: 'patient' });
    const lines: string[] = [];
    const logger = createLogger('INFO', 'test', (line) => lines.push(line));
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

  it('writes one JSON object per line with level, keys and errors spelled out, and drops lines below its level', () => {
    const lines: string[] = [];
    const logger = createLogger('INFO', 'prod', (line) => lines.push(line));
    logger.debug('not written');
    logger.appendKeys({ requestId: 'r-1' });
    const cause = new Error('throttled');
    const error = Object.assign(new Error('commit failed', { cause }), { code: 'STORAGE_UNAVAILABLE' });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    logger.error('request failed', { error, cyclic });
    logger.resetKeys();
    logger.warn('after reset');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({
      level: 'ERROR',
      message: 'request failed',
      service: 'medpay',
      stage: 'prod',
      requestId: 'r-1',
      error: {
        name: 'Error',
        message: 'commit failed',
        code: 'STORAGE_UNAVAILABLE',
        cause: { message: 'throttled' },
      },
      cyclic: { a: 1, self: '[Circular]' },
    });
    expect(new Date(first.timestamp).toISOString()).toBe(first.timestamp);
    expect(JSON.parse(lines[1]!).requestId).toBeUndefined();
  });

  it('keeps ordinary values untouched', () => {
    expect(redact('outTradeNo', 'MP20260301')).toBe('MP20260301');
    expect(redact('amountFen', 100)).toBe(100);
    expect(redact('token', 'x')).toBe('[REDACTED]');
  });
});
