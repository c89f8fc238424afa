/**
 * WeChat Pay APIv3 notifications built from the published rules with node:crypto only (no adapter, no SDK,
 * no sandbox code), so a shared misreading cannot pass unnoticed:
 *   - signature: SHA256withRSA over "Wechatpay-Timestamp\nWechatpay-Nonce\nbody\n", base64, in
 *     Wechatpay-Signature, with the key's id in Wechatpay-Serial (pay.weixin.qq.com/docs/merchant/apis/
 *     weixin-pay-score/success-notification.html, 2.1 对回调通知进行验签);
 *   - resource: AEAD_AES_256_GCM with the 32-byte APIv3 key, a 12-byte nonce and associated_data;
 *     ciphertext = base64(encrypted bytes ‖ 16-byte tag) (pay.weixin.qq.com/wiki/doc/apiv3/apis/
 *     chapter6_1_22.shtml, 参数解密: "请参考rfc5116");
 *   - envelope: id, create_time (RFC 3339), resource_type "encrypt-resource", event_type, summary, resource
 *     {original_type, algorithm, ciphertext, associated_data, nonce}.
 */
import { createCipheriv, createDecipheriv, createSign, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** The keys and ids one WeChat Pay merchant's notifications are made with. */
export interface WechatpayNotifier {
  readonly apiV3Key: string;
  readonly serial: string;
  readonly platformPrivateKey: string | KeyObject;
}

/** Encrypts a resource object (or any JSON value) as WeChat Pay does. */
export function encryptResource(key: string, plaintext: string, associatedData = 'transaction') {
  const nonce = randomBytes(6).toString('hex'); // 12 ASCII bytes
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { ciphertext: ciphertext.toString('base64'), nonce, associated_data: associatedData };
}

/** Decrypts a resource the documented way: the last 16 bytes are the tag. */
export function decryptResource(
  key: string,
  resource: { ciphertext: string; nonce: string; associated_data?: string },
): string {
  const bytes = Buffer.from(resource.ciphertext, 'base64');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    Buffer.from(key, 'utf8'),
    Buffer.from(resource.nonce, 'utf8'),
  );
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

/** A complete notification (headers and raw body) for an event type and its decrypted resource. */
export function wechatNotification(
  n: WechatpayNotifier,
  eventType: string,
  resource: unknown,
  {
    timestamp = Math.floor(Date.now() / 1000),
    originalType = eventType.startsWith('REFUND')
      ? 'refund'
      : eventType.startsWith('PAYSCORE')
        ? 'payscore'
        : 'transaction',
    plaintext = JSON.stringify(resource),
  }: { timestamp?: number; originalType?: string; plaintext?: string } = {},
) {
  const body = JSON.stringify({
    id: `EV-${randomBytes(8).toString('hex')}`,
    create_time: new Date(timestamp * 1000 + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00',
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: '通知',
    resource: {
      original_type: originalType,
      algorithm: 'AEAD_AES_256_GCM',
      ...encryptResource(n.apiV3Key, plaintext, originalType),
    },
  });
  const nonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256')
    .update(`${timestamp}\n${nonce}\n${body}\n`)
    .sign(n.platformPrivateKey, 'base64');
  return {
    headers: {
      'wechatpay-timestamp': String(timestamp),
      'wechatpay-nonce': nonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': n.serial,
    } as Record<string, string>,
    body: Buffer.from(body, 'utf8'),
  };
}
