/**
 * The national medical-insurance mobile-payment transport envelope (医保移动支付中心), as the provinces'
 * interface specifications publish it: Tianjin's 两定机构→医保移动支付中心 specification, chapter 2
 * (blog.cachecha.com/csdn/weixin_43585799/131508579.html) and the same rules with an example envelope
 * (blog.csdn.net/wdsfeisng/article/details/125608019):
 *
 *   { appId, data, encData, encType: "SM4", signType: "SM2", signData, timestamp, version }
 *
 * - Signature: SM3withSM2 (GM/T 0003.2), over every field but signData, encData and extra, sorted by key in
 *   ASCII order, joined as `k=v` with `&`, the application secret appended at the end (§2.3.1.2).
 * - JSON inside (`data`): keys in ascending order, empty values left out (§2.3.1.2, "空值不参与签名").
 * - The example's signData is 88 Base64 characters: the 64-byte r‖s, not DER.
 * - Encryption: SM4 (GB/T 32907) of `data` into encData.
 *
 * Provinces differ, and several facts are not published at all (PROTOCOLS "not found"): the SM4 key's
 * derivation, its block mode, the separator before the secret (`…&<secret>` here; the EPC family writes
 * `…&key=<secret>`), the SM2 user id. Each is configuration ({@link EnvelopeConfig}); the defaults are named
 * assumptions in docs/insurance.md, never the platform's rule.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

/** How a province's platform wraps its messages (everything a hospital obtains from its province). */
export interface EnvelopeConfig {
  /** The application id the province issued to the hospital. */
  readonly appId: string;
  /** The application secret appended to the sign string. */
  readonly appSecret: string;
  /** What goes between the last `k=v` and the secret: `''` (Tianjin, §2.3.1.2.3) or `'&key='` (EPC). */
  readonly secretSeparator: string;
  /** The envelope version the province names (`2.0.1` in the published example). */
  readonly version: string;
  /** The SM4 key, 16 bytes as 32 hex characters, as the province issues or derives it. */
  readonly sm4KeyHex: string;
  /** The hospital's SM2 private key (64 hex characters): signs what the hospital sends. */
  readonly privateKeyHex: string;
  /** The platform's SM2 public key (uncompressed, `04…`, 130 hex characters): verifies what it sends. */
  readonly platformPublicKeyHex: string;
  /** The SM2 signer's user id; GM/T 0009-2012 §10's default `1234567812345678` unless the province says otherwise. */
  readonly userId: string;
}

/** The envelope as it travels. */
export interface Envelope {
  readonly appId: string;
  readonly data?: unknown;
  readonly encData?: string;
  readonly encType: 'SM4';
  readonly signType: 'SM2';
  readonly signData: string;
  readonly timestamp: string;
  readonly version: string;
  readonly extra?: unknown;
  /** A reply's protocol result (docs/insurance.md: the reply's shape is an assumption). */
  readonly code?: string;
  readonly message?: string;
}

/** Values that take no part in a signature: `""`, null, undefined, `{}` and `[]` ("空值不参与签名"). */
const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/** A value with its object keys in ascending order and its empty values left out, recursively. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered).filter((v) => !isEmpty(v));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = ordered((value as Record<string, unknown>)[key]);
    if (!isEmpty(v)) out[key] = v;
  }
  return out;
}

/** The compact JSON a signature covers: sorted keys, no empty values, characters as they are (not escaped). */
export const canonicalJson = (value: unknown) => JSON.stringify(ordered(value));

/** The string signed: the fields but signData, encData and extra, as `k=v` in key order, then the secret. */
export function signString(fields: Readonly<Record<string, unknown>>, config: EnvelopeConfig): string {
  const pairs = Object.keys(fields)
    .filter((k) => k !== 'signData' && k !== 'encData' && k !== 'extra' && !isEmpty(fields[k]))
    .sort()
    .map((k) => {
      const v = fields[k];
      return `${k}=${typeof v === 'string' ? v : canonicalJson(v)}`;
    });
  return `${pairs.join('&')}${config.secretSeparator}${config.appSecret}`;
}

/** SM4 of `text` (UTF-8) or of bytes under the configured key (ECB, PKCS#7: the mode is an assumption), upper-case hex. */
export function sm4Encrypt(text: string | Uint8Array, keyHex: string): string {
  const cipher = createCipheriv('sm4-ecb', Buffer.from(keyHex, 'hex'), null);
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return Buffer.concat([cipher.update(bytes), cipher.final()])
    .toString('hex')
    .toUpperCase();
}

/** The text of SM4 ciphertext in hex; throws on a wrong key or a tampered ciphertext (bad padding). */
export function sm4Decrypt(hex: string, keyHex: string): string {
  const decipher = createDecipheriv('sm4-ecb', Buffer.from(keyHex, 'hex'), null);
  return Buffer.concat([decipher.update(Buffer.from(hex, 'hex')), decipher.final()]).toString('utf8');
}

/** SM3withSM2 over `message`: the 64-byte r‖s in Base64. */
export function sm2Sign(message: string, privateKeyHex: string, userId: string): string {
  const rs = sm2.doSignature(message, privateKeyHex, { hash: true, der: false, userId });
  return Buffer.from(rs, 'hex').toString('base64');
}

/** Whether `signature` (Base64 r‖s) is SM3withSM2 over `message` by `publicKeyHex`. */
export function sm2Verify(message: string, signature: string, publicKeyHex: string, userId: string): boolean {
  const rs = Buffer.from(signature, 'base64');
  if (rs.length !== 64) return false;
  return sm2.doVerifySignature(message, rs.toString('hex'), publicKeyHex, { hash: true, der: false, userId });
}

/**
 * Wraps `data`: signed over the clear `data`, which travels SM4-encrypted in encData. `head` adds fields
 * that are signed and travel in clear (a reply's `code` and `message`).
 */
export function seal(
  config: EnvelopeConfig,
  data: object,
  timestamp: string,
  head: Readonly<Record<string, string>> = {},
): Envelope {
  const fields = {
    ...head,
    appId: config.appId,
    data,
    encType: 'SM4' as const,
    signType: 'SM2' as const,
    timestamp,
    version: config.version,
  };
  const signData = sm2Sign(signString(fields, config), config.privateKeyHex, config.userId);
  const { data: clear, ...rest } = fields;
  return { ...rest, encData: sm4Encrypt(canonicalJson(clear), config.sm4KeyHex), signData };
}

/** Why an envelope from the platform was refused. */
export class EnvelopeRejectedError extends Error {}

/**
 * Unwraps an envelope from the platform: decrypts encData (or takes a clear `data`), then checks the
 * platform's signature over it; anything that does not verify is refused, whatever it says.
 */
export function open(config: EnvelopeConfig, envelope: Envelope): unknown {
  if (envelope.appId !== config.appId) throw new EnvelopeRejectedError(`appId ${envelope.appId} is not ours`);
  let data: unknown = envelope.data;
  if (envelope.encData !== undefined) {
    try {
      data = JSON.parse(sm4Decrypt(envelope.encData, config.sm4KeyHex));
    } catch {
      throw new EnvelopeRejectedError('encData does not decrypt under our SM4 key');
    }
  }
  const { signData, encData: _encrypted, ...fields } = envelope;
  const signed = signString({ ...fields, data }, config);
  if (!sm2Verify(signed, signData, config.platformPublicKeyHex, config.userId))
    throw new EnvelopeRejectedError('signData does not verify with the platform key');
  return data;
}
