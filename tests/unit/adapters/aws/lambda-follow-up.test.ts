/**
 * The payment-code follow-up's Invoke call (lib/adapters/aws/lambda-follow-up.ts) beside the official
 * client's: @aws-sdk/client-lambda (a dev dependency) sends InvokeCommand with InvocationType Event to a
 * local server, and so does medpay; the method, path, invocation type, payload and the signature's scope must
 * be the same. A start the server refuses is logged, never thrown (the sweep carries the payment on).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaEndpoint, lambdaFollowUp } from '../../../../lib/adapters/aws/lambda-follow-up';
import type { Logger } from '../../../../lib/ports/logger';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
type Seen = { method?: string; url?: string; headers: IncomingMessage['headers']; body: string };

describe('lambdaFollowUp', () => {
  const seen: Seen[] = [];
  let status = 202;
  let server: Server;
  let endpoint = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(status);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const warnings: unknown[] = [];
  const logger = { warn: (m: string, f?: object) => warnings.push({ m, f }) } as unknown as Logger;

  it('sends what the official client sends for an asynchronous Invoke', async () => {
    const payload = { hospitalId: 'h-east', paymentId: 'pay_01' };
    const official = new LambdaClient({ region: 'cn-north-1', endpoint, credentials });
    await official.send(
      new InvokeCommand({
        FunctionName: 'medpay-prod-followPaymentCode',
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    official.destroy();
    await lambdaFollowUp(
      {
        functionName: 'medpay-prod-followPaymentCode',
        region: 'cn-north-1',
        credentials: () => Promise.resolve(credentials),
        endpoint,
      },
      logger,
    ).start('h-east', 'pay_01');
    const [theirs, ours] = seen.slice(-2) as [Seen, Seen];
    expect(ours.method).toBe(theirs.method);
    expect(ours.url).toBe(theirs.url);
    expect(ours.url).toBe('/2015-03-31/functions/medpay-prod-followPaymentCode/invocations');
    expect(ours.headers['x-amz-invocation-type']).toBe(theirs.headers['x-amz-invocation-type']);
    expect(JSON.parse(ours.body)).toEqual(JSON.parse(theirs.body));
    const scope = (h: Seen) =>
      /Credential=AKIDEXAMPLE\/\d{8}\/([^,]+),/.exec(String(h.headers.authorization))?.[1];
    expect(scope(ours)).toBe(scope(theirs));
    expect(scope(ours)).toBe('cn-north-1/lambda/aws4_request');
    expect(warnings).toEqual([]);
  });

  it('logs a refused start and does not throw', async () => {
    status = 500;
    await lambdaFollowUp(
      { functionName: 'f', region: 'cn-north-1', credentials: () => Promise.resolve(credentials), endpoint },
      logger,
    ).start('default', 'pay_02');
    status = 202;
    expect(warnings).toHaveLength(1);
  });

  it("names the region's endpoint, in China on amazonaws.com.cn", () => {
    expect(lambdaEndpoint('cn-north-1')).toBe('https://lambda.cn-north-1.amazonaws.com.cn');
    expect(lambdaEndpoint('ap-east-1')).toBe('https://lambda.ap-east-1.amazonaws.com');
  });
});
