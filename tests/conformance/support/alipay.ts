/**
 * Alipay asynchronous notifications built from the published rule with node:crypto only: the parameters
 * except `sign` and `sign_type`, sorted by name, joined as `name=value` with `&` (values not URL-encoded),
 * signed SHA256withRSA (RSA2) and base64 (the rule alipay-sdk-nodejs-all's checkNotifySign verifies),
 * then posted as an application/x-www-form-urlencoded body.
 */
import { createSign } from 'node:crypto';

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
