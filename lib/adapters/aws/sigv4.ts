/**
 * AWS Signature Version 4 for the SSM and S3 calls medpay makes over fetch, by the SDK's own signer
 * (`@smithy/signature-v4` with the SDK's SHA-256): the same code that signs every DynamoDB call, already in
 * every bundle. Request signing is never written by hand (docs/dependencies.md); this file only turns a URL
 * into the signer's request shape. tests/unit/adapters/aws/sigv4.test.ts holds it to AWS's published
 * examples, the official SSM client and the S3 presigner.
 */
import { createHash } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';

/** Credentials as the SDK's credential chain gives them. */
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

/** Which region and service a signature is scoped to. */
export interface SigningScope {
  readonly region: string;
  readonly service: string;
}

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const PAYLOAD_HEADER = 'x-amz-content-sha256';

/** The signer for a scope. S3 paths are signed as given (S3 does not double-escape); other services' are escaped. */
const signerFor = (credentials: AwsCredentials, scope: SigningScope) =>
  new SignatureV4({
    credentials,
    region: scope.region,
    service: scope.service,
    sha256: Sha256,
    uriEscapePath: scope.service !== 's3',
    applyChecksum: false,
  });

/** The signer's request shape for `url`, with `host` among the headers. */
function httpRequest(method: string, url: URL, headers: Record<string, string>, body?: string): HttpRequest {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const seen = query[k];
    query[k] = seen === undefined ? v : [...(Array.isArray(seen) ? seen : [seen]), v];
  }
  return {
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname || '/',
    query,
    headers: { ...headers, host: url.host },
    body,
  };
}

/**
 * The headers to send: the request's own plus x-amz-date, the session token and Authorization. `host` is
 * signed but not returned: fetch sets it from the URL. `payloadHash` (S3's x-amz-content-sha256, or
 * "UNSIGNED-PAYLOAD") is sent and signed as given; otherwise the body's SHA-256 is signed.
 */
export async function signRequest(
  request: SignableRequest,
  credentials: AwsCredentials,
  scope: SigningScope,
  at: Date,
  payloadHash?: string,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  if (payloadHash !== undefined) headers[PAYLOAD_HEADER] = payloadHash;
  const signed = await signerFor(credentials, scope).sign(
    httpRequest(request.method, request.url, headers, request.body),
    { signingDate: at },
  );
  const { host: _signedNotSent, ...send } = signed.headers;
  return send;
}

/** A presigned GET URL valid for `expiresSec` seconds from `at` (only `host` signed, payload unsigned). */
export async function presignUrl(
  url: URL,
  credentials: AwsCredentials,
  scope: SigningScope,
  at: Date,
  expiresSec: number,
): Promise<string> {
  const unsigned = new Set([PAYLOAD_HEADER]);
  const signed = await signerFor(credentials, scope).presign(
    httpRequest('GET', url, { [PAYLOAD_HEADER]: UNSIGNED_PAYLOAD }),
    { signingDate: at, expiresIn: expiresSec, unsignableHeaders: unsigned, unhoistableHeaders: unsigned },
  );
  const out = new URL(url);
  out.search = '';
  for (const [k, v] of Object.entries(signed.query ?? {}))
    for (const value of Array.isArray(v) ? v : [v]) if (value !== null) out.searchParams.append(k, value);
  return out.toString();
}

/** SHA-256 of a body as lowercase hex (x-amz-content-sha256). */
export const payloadSha256 = (body: string | Uint8Array) => createHash('sha256').update(body).digest('hex');

/** URI-encodes every byte except the unreserved characters, as S3 object keys are addressed. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
