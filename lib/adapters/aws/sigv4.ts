/**
 * AWS Signature Version 4 on node:crypto: what medpay needs to read SSM parameters and write and share S3
 * objects without bundling the SSM and S3 clients (226 KB and 170 KB). The algorithm is AWS's ("Create a signed AWS API request", IAM
 * User Guide): canonical request → string to sign → HMAC chain over date, region, service, "aws4_request".
 * Presigned URLs carry the same signature in the query (X-Amz-Algorithm … X-Amz-Signature) over the
 * payload "UNSIGNED-PAYLOAD" (S3 API Reference, "Authenticating Requests: Using Query Parameters").
 * tests/unit/adapters/aws/sigv4.test.ts checks both against AWS's published examples and the SDK.
 */
import { createHash, createHmac } from 'node:crypto';

/** Credentials as Lambda provides them to the function (its execution role's temporary keys). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A request to sign: the URL's path and query are used as given (already encoded). */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Header names in any case; `host` is added from the URL. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** `20150830T123600Z`, the x-amz-date form. */
export const amzDate = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The pieces both forms share: scope, the signing key and the signature over a canonical request. */
function signature(
  canonical: string,
  credentials: AwsCredentials,
  scope: { readonly region: string; readonly service: string },
  date: string,
) {
  const credentialScope = `${date.slice(0, 8)}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, credentialScope, sha256(canonical)].join('\n');
  const key = [date.slice(0, 8), scope.region, scope.service, 'aws4_request'].reduce<string | Buffer>(
    (k, part) => hmac(k, part),
    `AWS4${credentials.secretAccessKey}`,
  );
  return { credentialScope, value: createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex') };
}

/** The canonical request: method, path, sorted query, signed headers and the payload hash. */
function canonicalRequest(
  method: string,
  url: URL,
  headers: Readonly<Record<string, string>>,
  payloadHash: string,
): { canonical: string; signedHeaders: string } {
  const names = Object.keys(headers).sort();
  const query = [...url.searchParams]
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    method,
    url.pathname || '/',
    query,
    ...names.map((n) => `${n}:${String(headers[n]).trim().replace(/\s+/g, ' ')}`),
    '',
    names.join(';'),
    payloadHash,
  ].join('\n');
  return { canonical, signedHeaders: names.join(';') };
}

/**
 * The headers to send: the request's own plus x-amz-date, the session token and Authorization. `host` is
 * signed but not returned: fetch sets it from the URL.
 * `payloadHash` defaults to the body's SHA-256 (S3 also takes "UNSIGNED-PAYLOAD").
 */
export function signRequest(
  request: SignableRequest,
  credentials: AwsCredentials,
  scope: { readonly region: string; readonly service: string },
  at: Date,
  payloadHash = sha256(request.body),
): Record<string, string> {
  const date = amzDate(at);
  const headers: Record<string, string> = { host: request.url.host, 'x-amz-date': date };
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const { canonical, signedHeaders } = canonicalRequest(request.method, request.url, headers, payloadHash);
  const { credentialScope, value } = signature(canonical, credentials, scope, date);
  const { host: _signedNotSent, ...send } = headers;
  return {
    ...send,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${value}`,
  };
}

/** A presigned GET URL valid for `expiresSec` seconds from `at` (only `host` signed, payload unsigned). */
export function presignUrl(
  url: URL,
  credentials: AwsCredentials,
  scope: { readonly region: string; readonly service: string },
  at: Date,
  expiresSec: number,
): string {
  const date = amzDate(at);
  const signed = new URL(url);
  const q = signed.searchParams;
  q.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
  q.set(
    'X-Amz-Credential',
    `${credentials.accessKeyId}/${date.slice(0, 8)}/${scope.region}/${scope.service}/aws4_request`,
  );
  q.set('X-Amz-Date', date);
  q.set('X-Amz-Expires', String(expiresSec));
  q.set('X-Amz-SignedHeaders', 'host');
  if (credentials.sessionToken) q.set('X-Amz-Security-Token', credentials.sessionToken);
  const { canonical } = canonicalRequest('GET', signed, { host: signed.host }, 'UNSIGNED-PAYLOAD');
  q.set('X-Amz-Signature', signature(canonical, credentials, scope, date).value);
  return signed.toString();
}

/** SHA-256 of a body as lowercase hex (x-amz-content-sha256). */
export const payloadSha256 = (body: string | Uint8Array) => createHash('sha256').update(body).digest('hex');

/** URI-encodes every byte except the unreserved characters, as SigV4 requires. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
