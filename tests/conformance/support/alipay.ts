/**
 * Alipay asynchronous notifications built from the published rule with node:crypto only: the parameters
 * except `sign` and `sign_type`, sorted by name, joined as `name=value` with `&` (values not URL-encoded),
 * signed SHA256withRSA (RSA2) and base64 (the rule alipay-sdk-nodejs-all's checkNotifySign verifies),
 * then posted as an application/x-www-form-urlencoded body. And a receiver playing the gateway.
 */
import { createSign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The signed form body of a notification. */
export function alipayNotificationBody(params: Record<string, string>, platformPrivateKey: string): Buffer {
  const content = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const sign = createSign('RSA-SHA256').update(content, 'utf8').sign(platformPrivateKey, 'base64');
  return Buffer.from(new URLSearchParams({ ...params, sign_type: 'RSA2', sign }).toString(), 'utf8');
}

/** One call the gateway receiver got: the method, every parameter, and biz_content parsed. */
export interface GatewayCall {
  readonly method: string;
  readonly params: Record<string, string>;
  readonly biz: Record<string, unknown>;
}

/**
 * A local server playing Alipay's gateway with node:crypto: it records each call (query and form
 * parameters) and answers `<method>_response` with `answerFor(method)`, signed RSA2 over the answer's text
 * as Alipay signs a response (alipay-sdk verifies the same).
 */
export async function alipayGatewayReceiver(
  platformPrivateKey: string,
  answerFor: (method: string) => Record<string, unknown>,
) {
  const calls: GatewayCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const params = {
        ...Object.fromEntries(url.searchParams),
        ...Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString())),
      };
      const method = params.method ?? '';
      calls.push({ method, params, biz: JSON.parse(params.biz_content ?? '{}') as Record<string, unknown> });
      const text = JSON.stringify(answerFor(method));
      const sign = createSign('RSA-SHA256').update(text, 'utf8').sign(platformPrivateKey, 'base64');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"${method.replaceAll('.', '_')}_response":${text},"sign":"${sign}"}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    gateway: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway.do`,
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
