/**
 * WeChat Pay APIv3 on node:crypto and fetch, in place of wechatpay-axios-plugin (372 KB bundled with axios).
 * The rules, from WeChat Pay's documentation (pay.weixin.qq.com/docs/merchant/development/interface-rules/
 * signature-generation.html, signature-verification.html, certificate-callback-decryption.html) and checked
 * against wechatpay-axios-plugin (a dev dependency) in tests/unit/adapters/wechatpay/client.test.ts:
 *   - Request: `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",
 *     timestamp="…",serial_no="…"`, the signature SHA256-RSA over "METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n"
 *     (BODY empty for GET).
 *   - Response: Wechatpay-Timestamp, -Nonce, -Signature and -Serial; SHA256-RSA over
 *     "TIMESTAMP\nNONCE\nBODY\n" with the platform key of that serial; a timestamp more than 5 minutes off is
 *     refused. Downloads (`/v3/billdownload/file`) are not signed: the bill's hash_value checks them.
 *   - Resources: AEAD_AES_256_GCM with the APIv3 key, the 16-byte tag after the ciphertext, base64.
 */
import { createDecipheriv, createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import { toShanghaiDateTime } from '../../domain/business-day';
import { ProviderUnavailableError } from '../../domain/errors';

/** Merchant credentials and endpoints. Keys are PEM strings; the platform keys map serial → public key. */
export interface WechatpayConfig {
  readonly mchId: string;
  readonly appId: string;
  readonly merchantSerial: string;
  readonly merchantPrivateKey: string;
  readonly apiV3Key: string;
  readonly platformKeys: Readonly<Record<string, string | KeyObject>>;
  /** https://api.mch.weixin.qq.com/ in production; the sandbox locally. */
  readonly baseURL: string;
  readonly notifyUrl: string;
  readonly timeoutMs?: number;
}

/** JSON as WeChat Pay sends it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies are untyped JSON on the wire
export type WechatJson = Record<string, any>;
/** A verified 2xx answer. */
export type WechatOk = { status: number; data: WechatJson };
/** A 4xx business answer (the outcome is known: nothing happened, or the state forbids it). */
export type WechatFailure = { status: number; code?: string; message?: string };

/** The signed APIv3 client the WeChat Pay adapters share. */
export interface WechatApi {
  /**
   * Calls `METHOD path` (query included); a verified 2xx or a 4xx business answer comes back, and anything
   * else (no answer, 5xx, 429 FREQUENCY_LIMITED, an unverifiable 2xx) is PROVIDER_UNAVAILABLE.
   */
  (
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Readonly<Record<string, string>>,
  ): Promise<WechatOk | WechatFailure>;
  /** Downloads a file (`/v3/billdownload/file?token=…`): a signed request, raw bytes back. */
  download(operation: string, path: string): Promise<Uint8Array>;
}

/** SHA256-RSA of `message`, base64 (the merchant signs requests and JSAPI pay parameters this way). */
export const wechatSign = (message: string, privateKey: string | KeyObject) =>
  createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');

/** True when `signature` is the platform key's SHA256-RSA over `message`; false for any malformed input. */
export function wechatVerify(message: string, signature: string, publicKey: string | KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** The pieces joined by "\n", each followed by one: the shape of every APIv3 signing message. */
export const lines = (...pieces: readonly string[]) => pieces.map((p) => `${p}\n`).join('');

/** Decrypts an AEAD_AES_256_GCM resource (base64 ciphertext with the 16-byte tag at its end). */
export function aesGcmDecrypt(
  ciphertext: string,
  apiV3Key: string,
  nonce: string,
  associatedData: string,
): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length < 16) throw new Error('ciphertext shorter than its tag');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

/** The Authorization header for one request. */
export function wechatAuthorization(
  config: Pick<WechatpayConfig, 'mchId' | 'merchantSerial' | 'merchantPrivateKey'>,
  request: { method: string; pathAndQuery: string; body: string; timestamp: string; nonce: string },
): string {
  const signature = wechatSign(
    lines(request.method, request.pathAndQuery, request.timestamp, request.nonce, request.body),
    config.merchantPrivateKey,
  );
  return `WECHATPAY2-SHA256-RSA2048 mchid="${config.mchId}",nonce_str="${request.nonce}",signature="${signature}",timestamp="${request.timestamp}",serial_no="${config.merchantSerial}"`;
}

/** How far a response's Wechatpay-Timestamp may be from our clock. */
const MAX_CLOCK_OFFSET_SEC = 300;

/** Builds the APIv3 client (signs requests, verifies response signatures against the platform keys). */
export function wechatpayApi(config: WechatpayConfig, now: () => Date = () => new Date()): WechatApi {
  const base = config.baseURL.endsWith('/') ? config.baseURL : `${config.baseURL}/`;
  const unavailable = (
    operation: string,
    why: string,
    extra: Record<string, unknown> = {},
    cause?: unknown,
  ) =>
    new ProviderUnavailableError(
      `WeChat Pay did not answer (${why}); nothing was changed. Retry with the same Idempotency-Key.`,
      { channel: 'wechatpay', operation, ...extra },
      { cause },
    );

  async function send(
    operation: string,
    method: string,
    path: string,
    body: string,
    accept: string,
    extra: Readonly<Record<string, string>> = {},
  ) {
    const url = new URL(path.replace(/^\//, ''), base);
    const authorization = wechatAuthorization(config, {
      method,
      pathAndQuery: `${url.pathname}${url.search}`,
      body,
      timestamp: String(Math.floor(now().getTime() / 1000)),
      nonce: randomBytes(16).toString('hex'),
    });
    try {
      return await fetch(url, {
        method,
        headers: {
          authorization,
          accept,
          'user-agent': 'medpay (node fetch)',
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          ...extra,
        },
        body: method === 'POST' ? body : undefined,
        signal: AbortSignal.timeout(config.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw unavailable(operation, 'no answer', {}, error);
    }
  }

  /** True when the response carries a valid platform signature over `text`. */
  function verified(response: Response, text: string): boolean {
    const [timestamp, nonce, signature, serial] = [
      'wechatpay-timestamp',
      'wechatpay-nonce',
      'wechatpay-signature',
      'wechatpay-serial',
    ].map((h) => response.headers.get(h));
    if (!timestamp || !nonce || !signature || !serial) return false;
    const key = Object.hasOwn(config.platformKeys, serial) ? config.platformKeys[serial] : undefined;
    if (!key || Math.abs(now().getTime() / 1000 - Number(timestamp)) > MAX_CLOCK_OFFSET_SEC) return false;
    return wechatVerify(lines(timestamp, nonce, text), signature, key);
  }

  const api = async (
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Readonly<Record<string, string>>,
  ): Promise<WechatOk | WechatFailure> => {
    const response = await send(
      operation,
      method,
      path,
      body === undefined ? '' : JSON.stringify(body),
      'application/json',
      headers,
    );
    const text = await response.text().catch(() => '');
    const status = response.status;
    // 429 FREQUENCY_LIMITED ("频率超限，请降低请求接口频率") did not reach the business logic: retry later,
    // like a 5xx SYSTEM_ERROR ("系统错误，请使用相同参数稍后重新调用"); pay.weixin.qq.com/docs/merchant/development/
    // interface-rules/error-code.html. Other 4xx are business answers the caller interprets.
    if (status >= 400 && status < 500 && status !== 429) {
      // A signed error answer must verify; WeChat Pay leaves some (401 SIGN_ERROR) unsigned.
      if (response.headers.has('wechatpay-signature') && !verified(response, text))
        throw unavailable(operation, 'error answer with an invalid signature', { status });
      const data = parseJson(text);
      return { status, code: stringOr(data?.code), message: stringOr(data?.message) };
    }
    if (status < 200 || status >= 300) throw unavailable(operation, `HTTP ${status}`, { status });
    if (!verified(response, text))
      throw unavailable(operation, 'answer without a valid platform signature', { status });
    // 204 No Content (close order, Pay Score complete) has no body.
    return { status, data: text === '' ? {} : (parseJson(text) ?? {}) };
  };

  return Object.assign(api, {
    async download(operation: string, path: string): Promise<Uint8Array> {
      const response = await send(
        operation,
        'GET',
        path,
        '',
        'application/x-gzip, application/octet-stream, text/plain',
      );
      if (response.status !== 200)
        throw unavailable(operation, `HTTP ${response.status}`, { status: response.status });
      return new Uint8Array(await response.arrayBuffer());
    },
  });
}

function parseJson(text: string): WechatJson | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const stringOr = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** True for a 4xx business answer. */
export const wechatFailed = (r: WechatOk | WechatFailure): r is WechatFailure => !('data' in r);

/** RFC 3339 in Beijing time, as WeChat Pay expects. */
export const wechatBeijingTime = (d: Date) => `${toShanghaiDateTime(d).replace(' ', 'T')}+08:00`;

/**
 * `yyyyMMddHHmmss` in Beijing time: the format of Pay Score's times (time_range.start_time/end_time,
 * collection.details[].paid_time; pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score, 创建/查询支付分订单,
 * e.g. "20091225091210", and "支持yyyyMMddHHmmss和yyyyMMdd两种格式" in 同步服务订单信息).
 */
export const payScoreTime = (d: Date) => toShanghaiDateTime(d).replace(/\D/g, '');

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/**
 * Parses a WeChat Pay time in either of the forms its APIs use: RFC 3339 (`success_time`,
 * `2018-06-08T10:34:56+08:00`, the basic payment and refund resources) or Pay Score's `yyyyMMddHHmmss` in
 * Beijing time (`paid_time` "20091225091210"). Anything else, or a date that does not exist, is undefined.
 */
export function parseWechatTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  if (RFC3339.test(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const m = COMPACT.exec(value);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`;
  const d = new Date(iso);
  return !Number.isNaN(d.getTime()) && payScoreTime(d) === value ? d : undefined;
}
