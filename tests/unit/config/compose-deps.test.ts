/**
 * A function's dependencies are built once per container, and again once they are older than the secrets'
 * TTL, so that a rotated secret is picked up (#19); the rebuild keeps the DynamoDB client.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { composeDeps } from '../../../lib/config/container';
import { SECRET_TTL_MS } from '../../../lib/config/secrets';

const saved = { ...process.env };
afterEach(() => {
  vi.useRealTimers();
  process.env = { ...saved };
});

describe('composeDeps', () => {
  it('builds once, rebuilds after the TTL with the same DynamoDB client, and retries a failed build', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    Object.assign(process.env, {
      TABLE_NAME: 'medpay-test',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      AUTH_MODE: 'hs256',
      AUTH_HS256_SECRET: 'file:/dev/null',
      LOG_LEVEL: 'SILENT',
    });
    const deps = composeDeps();
    const first = await deps();
    expect(await deps()).toBe(first);
    vi.setSystemTime(Date.now() + SECRET_TTL_MS - 1_000);
    expect(await deps()).toBe(first);
    vi.setSystemTime(Date.now() + 2_000);
    const second = await deps();
    expect(second).not.toBe(first);
    expect(second.dynamo).toBe(first.dynamo);
    expect(await deps()).toBe(second);

    const failing = composeDeps();
    delete process.env.TABLE_NAME;
    await expect(failing()).rejects.toThrow(/TABLE_NAME/);
    process.env.TABLE_NAME = 'medpay-test';
    await expect(failing()).resolves.toBeTruthy();
  });
});
