/** The sandbox providers' own signing rules, written from the providers' documentation with node:crypto. */
import {
  constants,
  createCipheriv,
  createSign,
  createVerify,
  privateDecrypt,
  randomBytes,
} from 'node:crypto';

/** Alipay: all parameters except `sign` (and, for notifications, `sign_type`), sorted, `k=v` joined by `&`. */
export function alipaySignContent(params: Record<string, string>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** RSA-SHA256, base64: Alipay RSA2 and WeChat Pay v3 both use it. */
export const rsaSign = (content: string, privateKey: string) =>
  createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');

/** Verifies an RSA-SHA256 base64 signature; false on any malformed input. */
export function rsaVerify(content: string, signature: string, publicKey: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** WeChat Pay v3 AEAD_AES_256_GCM resource, ciphertext = base64(ct ‖ tag). */
export function wechatEncrypt(plaintext: string, apiV3Key: string, associatedData: string) {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce)).setAAD(
    Buffer.from(associatedData),
  );
  const ciphertext = Buffer.concat([
    cipher.update(plaintext, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]).toString('base64');
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: associatedData, nonce };
}

/** Parses `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`. */
export function parseWechatAuthorization(header: string | undefined): Record<string, string> | undefined {
  const m = header ? /^WECHATPAY2-SHA256-RSA2048\s+(.+)$/.exec(header) : null;
  if (!m?.[1]) return undefined;
  const out: Record<string, string> = {};
  for (const part of m[1].matchAll(/(\w+)="([^"]*)"/g)) out[part[1] as string] = part[2] as string;
  return out;
}

/** Beijing time as Alipay writes it: `yyyy-MM-dd HH:mm:ss`. */
export const alipayTime = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/** RFC 3339 with +08:00, as WeChat Pay writes times. */
export const wechatTime = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';

/**
 * `yyyyMMddHHmmss` in Beijing time, as Pay Score writes its times (paid_time "20091225091210") and the
 * insurance platform its timestamps (the published example envelope's "20200207175759").
 */
export const payScoreTime = (d: Date) => alipayTime(d).replace(/\D/g, '');
export const compactTime = payScoreTime;

/**
 * A field a merchant RSA-OAEP (SHA-1, MGF1) encrypted for WeChat Pay, decrypted with whichever platform key
 * (the public key's, then the certificate's) it was encrypted for; undefined when neither opens it.
 */
export function wechatDecryptSensitive(cipher: unknown, privateKeys: readonly string[]): string | undefined {
  for (const key of privateKeys) {
    try {
      return privateDecrypt(
        { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
        Buffer.from(String(cipher), 'base64'),
      ).toString('utf8');
    } catch {
      /* the other key */
    }
  }
  return undefined;
}
