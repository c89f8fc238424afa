/**
 * SigV4 and the SSM reader, checked against the world: AWS's own worked example of a signed request, and
 * the official SSM client (@aws-sdk/client-ssm, a dev dependency) sending GetParameter to a local server.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../../../lib/adapters/aws/sigv4';
import { getSsmParameter, ssmEndpoint } from '../../../../lib/adapters/aws/ssm';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};

describe('signRequest', () => {
  it("reproduces AWS's published example (IAM ListUsers, 20150830T123600Z)", () => {
    // IAM User Guide, "Examples of signed requests" / the SigV4 walkthrough: GET
    // https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08 with
    // content-type "application/x-www-form-urlencoded; charset=utf-8", signed at 2015-08-30T12:36:00Z.
    const headers = signRequest(
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
    const ours = signRequest(
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
