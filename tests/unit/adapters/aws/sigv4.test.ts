/**
 * SigV4 (the SDK's signer, through lib/adapters/aws/sigv4.ts) and the SSM reader, checked against the world: AWS's own worked example of a signed request, and
 * the official SSM client (@aws-sdk/client-ssm, a dev dependency) sending GetParameter to a local server.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presignUrl, signRequest } from '../../../../lib/adapters/aws/sigv4';
import { getSsmParameter, ssmEndpoint } from '../../../../lib/adapters/aws/ssm';
import { s3FileStore } from '../../../../lib/adapters/s3/file-store';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};

describe('signRequest', () => {
  it("reproduces AWS's published example (IAM ListUsers, 20150830T123600Z)", async () => {
    // IAM User Guide, "Examples of signed requests" / the SigV4 walkthrough: GET
    // https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08 with
    // content-type "application/x-www-form-urlencoded; charset=utf-8", signed at 2015-08-30T12:36:00Z.
    const headers = await signRequest(
      {
        method: 'GET',
        url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: '',
      },
      { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      { region: 'us-east-1', service: 'iam' },
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });
});

describe('S3 signing (S3 API Reference, "Signature Calculations for the Authorization Header" and "…Query Parameters")', () => {
  const s3Key = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
  const at = new Date('2013-05-24T00:00:00Z');

  it('reproduces the published GET Object example (Range: bytes=0-9)', async () => {
    const headers = await signRequest(
      {
        method: 'GET',
        url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
        headers: {
          Range: 'bytes=0-9',
          'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        },
        body: '',
      },
      s3Key,
      { region: 'us-east-1', service: 's3' },
      at,
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('reproduces the published presigned URL example (test.txt, 86400 s)', async () => {
    const url = new URL(
      await presignUrl(
        new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
        s3Key,
        { region: 'us-east-1', service: 's3' },
        at,
        86_400,
      ),
    );
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('presigns exactly as @aws-sdk/s3-request-presigner does, session token included', async () => {
    const credentials = { ...s3Key, sessionToken: 'session-token-example' };
    const client = new S3Client({ region: 'cn-north-1', credentials });
    const signingDate = new Date('2026-11-20T02:00:00Z');
    const theirs = new URL(
      await getSignedUrl(
        client,
        new GetObjectCommand({ Bucket: 'medpay-prod-statements', Key: 'statements/2026-11-20/全部.csv' }),
        {
          expiresIn: 900,
          signingDate,
        },
      ),
    );
    client.destroy();
    // The SDK adds its own query parameters (x-id, x-amz-checksum-mode, X-Amz-Content-Sha256) and signs
    // them too: given the same URL, our signature must be the same.
    const base = new URL(theirs);
    for (const name of [...base.searchParams.keys()])
      if (/^X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Security-Token|Signature)$/.test(name))
        base.searchParams.delete(name);
    const ours = new URL(
      await presignUrl(base, credentials, { region: 'cn-north-1', service: 's3' }, signingDate, 900),
    );
    // And the store addresses the object where the SDK does (virtual-hosted, .com.cn in China, UTF-8 key).
    const mine = new URL(
      await s3FileStore({
        region: 'cn-north-1',
        bucket: 'medpay-prod-statements',
        credentials: () => credentials,
      }).downloadUrl('statements/2026-11-20/全部.csv', 900),
    );
    expect(`${mine.origin}${mine.pathname}`).toBe(`${theirs.origin}${theirs.pathname}`);
    expect(mine.host).toBe('medpay-prod-statements.s3.cn-north-1.amazonaws.com.cn');
    for (const name of [
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-Security-Token',
      'X-Amz-SignedHeaders',
      'X-Amz-Signature',
    ])
      expect([name, ours.searchParams.get(name)]).toEqual([name, theirs.searchParams.get(name)]);
  });
});

describe('getSsmParameter', () => {
  const seen: { headers: IncomingMessage['headers']; body: string; url: string }[] = [];
  let endpoint = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ headers: req.headers, body, url: req.url ?? '' });
      const { Name } = JSON.parse(body) as { Name: string };
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (Name === '/medpay/prod/missing') {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ParameterNotFound', message: '' }));
        return;
      }
      res.end(JSON.stringify({ Parameter: { Name, Type: 'SecureString', Value: 'the-secret', Version: 1 } }));
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('signs exactly as the official SSM client does, and sends the same operation', async () => {
    seen.length = 0;
    const sdk = new SSMClient({ region: 'cn-north-1', endpoint, credentials });
    try {
      const out = await sdk.send(new GetParameterCommand({ Name: '/medpay/prod/jwt', WithDecryption: true }));
      expect(out.Parameter?.Value).toBe('the-secret');
    } finally {
      sdk.destroy();
    }
    const theirs = seen[0]!;
    // Recompute the SDK's own signature with our signer, over the headers it chose to sign.
    const signed = /SignedHeaders=([^,]+)/.exec(String(theirs.headers.authorization))![1]!.split(';');
    const own = Object.fromEntries(
      signed
        .filter((h) => !['host', 'x-amz-date', 'x-amz-security-token'].includes(h))
        .map((h) => [h, String(theirs.headers[h])]),
    );
    const ours = await signRequest(
      { method: 'POST', url: new URL(`${endpoint}${theirs.url}`), headers: own, body: theirs.body },
      credentials,
      { region: 'cn-north-1', service: 'ssm' },
      new Date(
        String(theirs.headers['x-amz-date']).replace(
          /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/,
          '$1-$2-$3T$4:$5:$6Z',
        ),
      ),
    );
    expect(ours.authorization).toBe(theirs.headers.authorization);

    seen.length = 0;
    const value = await getSsmParameter('/medpay/prod/jwt', { region: 'cn-north-1', credentials, endpoint });
    expect(value).toBe('the-secret');
    const mine = seen[0]!;
    expect(mine.headers['x-amz-target']).toBe(theirs.headers['x-amz-target']);
    expect(mine.headers['content-type']).toBe(theirs.headers['content-type']);
    expect(mine.headers['x-amz-security-token']).toBe(credentials.sessionToken);
    expect(JSON.parse(mine.body)).toEqual(JSON.parse(theirs.body));
    expect(mine.url).toBe(theirs.url);
  });

  it("names SSM's error type, never a value, when the parameter is missing", async () => {
    await expect(
      getSsmParameter('/medpay/prod/missing', { region: 'cn-north-1', credentials, endpoint }),
    ).rejects.toThrow(/ParameterNotFound/);
  });

  it('uses the amazonaws.com.cn domain in China regions', () => {
    expect(ssmEndpoint('cn-north-1').host).toBe('ssm.cn-north-1.amazonaws.com.cn');
    expect(ssmEndpoint('ap-east-1').host).toBe('ssm.ap-east-1.amazonaws.com');
  });
});
