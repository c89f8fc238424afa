/**
 * The S3 file store against s3rver, a local S3: one PutObject for a small file, a multipart upload for a
 * big one, presigned links that download exactly what was written, and an aborted upload when the writer
 * fails. s3rver does not check SigV4 signatures ("Signature version 4 calculation is unimplemented" in its
 * authentication middleware), so tests/unit/adapters/aws/sigv4.test.ts checks them against AWS's published
 * S3 examples and the official client instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3FileStore } from '../../../../lib/adapters/s3/file-store';

const bucket = 'medpay-test-statements';
const dir = mkdtempSync(join(tmpdir(), 'medpay-s3-'));
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory: dir,
  silent: true,
  configureBuckets: [{ name: bucket, configs: [] }],
});
let endpoint = '';
const store = () =>
  s3FileStore({
    region: 'cn-north-1',
    bucket,
    endpoint,
    credentials: () => ({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }),
    partBytes: 5 * 1024 * 1024,
  });

beforeAll(async () => {
  const address = (await server.run()) as { port: number };
  endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('s3FileStore', () => {
  it('puts a small file in one request and hands out a presigned link that downloads it', async () => {
    await store().put('statements/2026-11-20/alipay.csv', 'text/csv; charset=utf-8', async (out) => {
      out.write('\uFEFF交易时间,金额\r\n');
      out.end('2026-11-20 10:00:00,25.00\r\n');
      await Promise.resolve();
    });
    const url = await store().downloadUrl('statements/2026-11-20/alipay.csv', 900);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).toString('utf8')).toBe(
      '\uFEFF交易时间,金额\r\n2026-11-20 10:00:00,25.00\r\n',
    );
  });

  it('streams a big file as a multipart upload, byte for byte', async () => {
    const data = randomBytes(11 * 1024 * 1024 + 123);
    await store().put('statements/big.bin', 'application/octet-stream', async (out) => {
      for (let i = 0; i < data.length; i += 64 * 1024) {
        if (!out.write(data.subarray(i, i + 64 * 1024))) await new Promise((r) => out.once('drain', r));
      }
      out.end();
    });
    const response = await fetch(await store().downloadUrl('statements/big.bin', 60));
    expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);
  });

  it('leaves no object when the writer fails', async () => {
    await expect(
      store().put('statements/broken.csv', 'text/csv', async (out) => {
        out.write(randomBytes(6 * 1024 * 1024));
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('the ledger query failed');
      }),
    ).rejects.toThrow('the ledger query failed');
    expect((await fetch(await store().downloadUrl('statements/broken.csv', 60))).status).toBe(404);
  });
});
