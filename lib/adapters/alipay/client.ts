/**
 * Alipay's OpenAPI gateway on node:crypto and fetch, in place of alipay-sdk (1.1 MB bundled with urllib,
 * undici and form-data). The rules, from Alipay's documentation and checked against alipay-sdk 4.x (a dev
 * dependency) in tests/unit/adapters/alipay/client.test.ts:
 *   - Request signing ("自行实现签名", opendocs.alipay.com/common/02kf5q): every non-empty common and
 *     request parameter except `sign`, sorted by name, joined `k=v` with `&`, RSA-SHA256 (RSA2) with the
 *     app's private key, base64. `timestamp` is `yyyy-MM-dd HH:mm:ss` Beijing time.
 *   - Response verification ("同步验签"): the raw JSON text of the `<method>_response` node (or
 *     `error_response`) is signed by Alipay; `sign` beside it is checked with Alipay's public key.
 *   - Notification verification ("异步通知验签"): every parameter except `sign` and `sign_type`, sorted,
 *     `k=v` joined with `&` on the decoded values; alipay-sdk also accepts the variant keeping `sign_type`.
 *   - Certificate mode ("公钥证书方式"): `app_cert_sn` and `alipay_root_cert_sn` join the common parameters;
 *     a certificate's SN is MD5(issuer attributes in reverse order joined with "," + decimal serial), and
 *     the root's is the SNs of its RSA-signed certificates joined with "_".
 */
import { createHash, createSign, createVerify, X509Certificate } from 'node:crypto';
import { toShanghaiDateTime } from '../../domain/business-day';
import { ChannelRevokedError, ProviderUnavailableError } from '../../domain/errors';
import { hospitalUrl } from '../../domain/hospital';

/** Alipay credentials: the app's private key plus either Alipay's public key or the three certificates. */
export type AlipayClientConfig = {
  readonly appId: string;
  /** PKCS#8 PEM of the app's private key. */
  readonly appPrivateKey: string;
  /** The gateway, e.g. https://openapi.alipay.com/gateway.do, or the local sandbox. */
  readonly gateway: string;
  readonly timeoutMs?: number;
} & (
  | { readonly mode: 'public-key'; readonly alipayPublicKey: string }
  | {
      readonly mode: 'certificate';
      readonly appCert: string;
      readonly alipayPublicCert: string;
      readonly alipayRootCert: string;
    }
);

/** A decoded gateway response (snake_case fields, as Alipay sends them). */
export type AlipayResult = Record<string, string | undefined>;

/** The signed gateway: calls, app-side order strings and notification signatures. */
export interface AlipayClient {
  /** The gateway's URL (a page method's signed parameters are sent to it by the browser). */
  readonly gateway: string;
  /**
   * Calls `method`; transport failures and unverifiable answers are PROVIDER_UNAVAILABLE (503). `params`
   * are further signed parameters outside biz_content (alipay.system.oauth.token's grant_type and code, a
   * user's auth_token); an empty biz_content is then left out.
   */
  exec(
    method: string,
    bizContent: Record<string, unknown>,
    notifyUrl?: string,
    params?: Readonly<Record<string, string>>,
  ): Promise<AlipayResult>;
  /**
   * The signed, URL-encoded order string an app passes to my.tradePay (alipay-sdk's sdkExecute), with
   * `params` as further signed public parameters (an app_auth_token).
   */
  orderString(
    method: string,
    bizContent: Record<string, unknown>,
    notifyUrl?: string,
    params?: Readonly<Record<string, string>>,
  ): string;
  /** True when `sign` is Alipay's signature over the notification's other parameters. */
  verifyNotification(params: Readonly<Record<string, string>>): boolean;
}

/** `k=v&…` over the parameters sorted by name, without `exclude` and empty values. */
export function alipaySignContent(
  params: Readonly<Record<string, string>>,
  exclude: readonly string[],
): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== '' && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** The SN Alipay derives from a certificate: MD5 of the reversed issuer DN and the decimal serial. */
export function alipayCertSn(pem: string): string {
  const cert = new X509Certificate(pem);
  const issuer = cert.issuer.split('\n').reverse().join(',');
  return createHash('md5')
    .update(issuer + BigInt(`0x${cert.serialNumber}`).toString(10), 'utf8')
    .digest('hex');
}

/** The root SN: the SNs of the chain's RSA-signed certificates (OID 1.2.840.113549.1.1.*), joined by "_". */
export function alipayRootCertSn(pems: string): string {
  return (pems.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [])
    .filter((pem) => rsaSigned(new X509Certificate(pem).raw))
    .map(alipayCertSn)
    .join('_');
}

const RSA_OID_PREFIX = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01]);

/** Reads Certificate.signatureAlgorithm's OID from the DER (node 20's X509Certificate does not expose it). */
function rsaSigned(der: Buffer): boolean {
  // DER length at `at` (after the tag): returns [length, offset of the content].
  const length = (at: number): [number, number] => {
    const first = der[at] as number;
    if (first < 0x80) return [first, at + 1];
    const bytes = first & 0x7f;
    let n = 0;
    for (let i = 1; i <= bytes; i++) n = n * 256 + (der[at + i] as number);
    return [n, at + 1 + bytes];
  };
  const [, certBody] = length(1); // Certificate SEQUENCE
  const [tbsLength, tbsBody] = length(certBody + 1); // tbsCertificate SEQUENCE
  const algorithm = tbsBody + tbsLength; // signatureAlgorithm SEQUENCE
  const [, oid] = length(algorithm + 1);
  return der.subarray(oid, oid + RSA_OID_PREFIX.length).equals(RSA_OID_PREFIX);
}

/**
 * The raw text of `"key":{…}` 's object in a JSON document, as Alipay signed it; undefined when absent.
 * Scans strings and escapes so a brace inside a value does not end the object early.
 */
export function rawJsonObject(text: string, key: string): string | undefined {
  const start = text.indexOf(`"${key}"`);
  if (start < 0) return undefined;
  const open = text.indexOf('{', start + key.length + 2);
  if (open < 0 || text.slice(start + key.length + 2, open).trim() !== ':') return undefined;
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  return undefined;
}

const rsaSign = (content: string, privateKey: string) =>
  createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
const rsaVerify = (content: string, signature: string, publicKey: string) => {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
};

/** Alipay's public key as PEM: public-key mode's key (PEM or bare base64), or certificate mode's certificate. */
export function alipayPublicKeyPem(
  source:
    | { readonly mode: 'public-key'; readonly alipayPublicKey: string }
    | { readonly mode: 'certificate'; readonly alipayPublicCert: string },
): string {
  if (source.mode === 'certificate')
    return new X509Certificate(source.alipayPublicCert).publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();
  const key = source.alipayPublicKey.trim();
  return key.includes('BEGIN') ? key : `-----BEGIN PUBLIC KEY-----\n${key}\n-----END PUBLIC KEY-----`;
}

/**
 * True when `sign` is Alipay's RSA2 signature over the notification's other parameters: sign and sign_type
 * excluded, or the variant keeping sign_type that alipay-sdk also accepts (see the header).
 */
export function verifyAlipayParams(params: Readonly<Record<string, string>>, alipayKeyPem: string): boolean {
  const sign = params.sign;
  if (!sign) return false;
  return (
    rsaVerify(alipaySignContent(params, ['sign', 'sign_type']), sign, alipayKeyPem) ||
    rsaVerify(alipaySignContent(params, ['sign']), sign, alipayKeyPem)
  );
}

/** Builds the client for one app. */
export function alipayClient(config: AlipayClientConfig): AlipayClient {
  const privateKey = config.appPrivateKey.trim();
  const alipayKey = alipayPublicKeyPem(config);
  const certParams: Record<string, string> =
    config.mode === 'certificate'
      ? {
          app_cert_sn: alipayCertSn(config.appCert),
          alipay_root_cert_sn: alipayRootCertSn(config.alipayRootCert),
        }
      : {};

  /** The common parameters plus biz_content, signed. */
  function signed(
    method: string,
    bizContent: Record<string, unknown>,
    notifyUrl?: string,
    extra: Readonly<Record<string, string>> = {},
  ): Record<string, string> & { biz_content?: string } {
    const withBiz = Object.keys(bizContent).length > 0 || Object.keys(extra).length === 0;
    const params: Record<string, string> = {
      ...extra,
      app_id: config.appId,
      method,
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: toShanghaiDateTime(new Date()),
      version: '1.0',
      ...(notifyUrl ? { notify_url: notifyUrl } : {}),
      ...certParams,
      ...(withBiz ? { biz_content: JSON.stringify(bizContent) } : {}),
    };
    return { ...params, sign: rsaSign(alipaySignContent(params, ['sign']), privateKey) };
  }

  const unavailable = (method: string, why: string, cause?: unknown) =>
    new ProviderUnavailableError(
      `Alipay did not answer with a verified response (${why}); nothing was changed. Retry with the same Idempotency-Key.`,
      { channel: 'alipay', method },
      { cause },
    );

  return {
    gateway: config.gateway,
    async exec(method, bizContent, notifyUrl, params) {
      const { biz_content, ...common } = signed(method, bizContent, notifyUrl, params);
      // As alipay-sdk sends it: the common parameters in the query string, biz_content in the form body.
      const url = new URL(config.gateway);
      for (const [k, v] of Object.entries(common)) url.searchParams.set(k, v);
      let text: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
            accept: 'application/json',
          },
          body: new URLSearchParams(biz_content === undefined ? {} : { biz_content }).toString(),
          signal: AbortSignal.timeout(config.timeoutMs ?? 5_000),
        });
        text = await response.text();
        if (response.status !== 200) throw unavailable(method, `HTTP ${response.status}`);
      } catch (error) {
        if (error instanceof ProviderUnavailableError) throw error;
        throw unavailable(method, 'no answer', error);
      }
      const responseKey = `${method.replaceAll('.', '_')}_response`;
      const node = rawJsonObject(text, responseKey) ?? rawJsonObject(text, 'error_response');
      let sign: unknown;
      let result: AlipayResult;
      try {
        sign = (JSON.parse(text) as { sign?: unknown }).sign;
        result = JSON.parse(node ?? '') as AlipayResult;
      } catch (error) {
        throw unavailable(method, 'not JSON', error);
      }
      if (!node || typeof sign !== 'string' || !rsaVerify(node, sign, alipayKey))
        throw unavailable(method, 'signature missing or invalid');
      // Only the verified text is read: a second copy of the key elsewhere in the answer is never believed.
      return result;
    },

    orderString(method, bizContent, notifyUrl, params) {
      return Object.entries(signed(method, bizContent, notifyUrl, params))
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .join('&');
    },

    verifyNotification: (params) => verifyAlipayParams(params, alipayKey),
  };
}

/** A nested object of an answer (a `data` node), or an empty one. */
export function alipayObject(r: AlipayResult, key: string): Readonly<Record<string, string | undefined>> {
  const v: unknown = r[key];
  return typeof v === 'object' && v !== null ? (v as Record<string, string | undefined>) : {};
}

/** `10000`: the call succeeded. */
export const alipayOk = (r: AlipayResult) => r.code === '10000';

/** Alipay's own trouble (unknown outcome): query before deciding. */
export const alipaySystemError = (r: AlipayResult) =>
  r.code === '20000' ||
  r.code === '20001' ||
  r.sub_code === 'ACQ.SYSTEM_ERROR' ||
  r.sub_code === 'SYSTEM_ERROR';

/** The merchant a client acts for in partner mode (第三方应用授权), and whether it has revoked that. */
/**
 * What a call for a hospital's merchant carries besides its app_auth_token (PROTOCOLS §3.2; jeepay J1): the
 * notify_url naming the hospital, and the platform's PID as `extend_params.sys_service_provider_id` on
 * trades; direct mode (no hospital) the deployment's own notify_url and nothing more.
 */
export function partnerTerms(config: { notifyUrl: string; sellerId: string }, hospitalId?: string) {
  return {
    notifyUrl: hospitalUrl(config.notifyUrl, hospitalId),
    attribution: hospitalId ? { extend_params: { sys_service_provider_id: config.sellerId } } : {},
  };
}

export interface AppAuthGrant {
  readonly appAuthToken: string;
  readonly hospitalId: string;
  readonly revoked: boolean;
}

/**
 * The platform app's client acting for a merchant that authorised it: every call carries `app_auth_token` as a
 * public (signed, top-level) parameter, which Alipay needs on every call made for the merchant
 * (PROTOCOLS §3.2; jeepay AlipayKit J1). A revoked grant, or a call Alipay refuses with
 * `aop.invalid-app-auth-token` (developer.aliyun.com/ask/285051), is a ChannelRevokedError: nothing is sent,
 * or nothing happened.
 */
export function actingFor(client: AlipayClient, grant: AppAuthGrant): AlipayClient {
  return {
    ...client,
    async exec(method, bizContent, notifyUrl, params) {
      if (grant.revoked) throw new ChannelRevokedError('alipay', grant.hospitalId);
      const r = await client.exec(method, bizContent, notifyUrl, {
        ...params,
        app_auth_token: grant.appAuthToken,
      });
      if (r.sub_code === 'aop.invalid-app-auth-token')
        throw new ChannelRevokedError('alipay', grant.hospitalId);
      return r;
    },
    orderString(method, bizContent, notifyUrl, params) {
      if (grant.revoked) throw new ChannelRevokedError('alipay', grant.hospitalId);
      return client.orderString(method, bizContent, notifyUrl, {
        ...params,
        app_auth_token: grant.appAuthToken,
      });
    },
  };
}
