/**
 * Reads SSM parameters (WithDecryption), and writes a hospital's SecureString ones, over HTTPS, signed by the SDK's signer (./sigv4.ts), instead of
 * bundling @aws-sdk/client-ssm (1.26x import, docs/dependencies.md). The wire format is SSM's AWS JSON 1.1
 * protocol (SSM API Reference, "Common parameters"): `POST /`, `X-Amz-Target: AmazonSSM.<Operation>`,
 * `Content-Type: application/x-amz-json-1.1`, errors `{"__type","message"}`.
 *   - GetParameter: body `{"Name","WithDecryption"}`, answer `{"Parameter":{"Name","Value",…}}`.
 *   - GetParameters: body `{"Names":[…],"WithDecryption"}` with at most 10 names ("Names … Maximum number of
 *     10 items"), answer `{"Parameters":[{"Name","Value",…}],"InvalidParameters":[…]}`.
 * Throttling (`ThrottlingException`, HTTP 400, or any 5xx and network failure) is retried with exponential
 * backoff and full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog), as the SDK's standard
 * retry mode does; other errors are not.
 */
import { randomInt } from 'node:crypto';
import { signRequest, type AwsCredentials } from './sigv4';

/** GetParameters takes at most this many names per call. */
export const SSM_BATCH = 10;

/** Where SSM answers: `endpoint` overrides (tests); China regions use the amazonaws.com.cn domain. */
export function ssmEndpoint(region: string, endpoint?: string): URL {
  if (endpoint) return new URL(endpoint);
  return new URL(`https://ssm.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`);
}

/** How to reach SSM and how hard to retry. */
export interface SsmOptions {
  readonly region: string;
  readonly credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  readonly endpoint?: string;
  readonly timeoutMs?: number;
  /** Attempts in all, the first included (default 5). */
  readonly attempts?: number;
  /** The first backoff's ceiling in ms, doubled each time up to 2 s (default 100). */
  readonly baseDelayMs?: number;
}

/** An SSM answer that is not worth retrying; its message names SSM's error type, never a value. */
export class SsmError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SsmError';
  }
}

/** One signed call to `operation`, retried on throttling and outages. */
async function call(
  operation: string,
  payload: object,
  options: SsmOptions,
): Promise<Record<string, unknown>> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await callOnce(operation, payload, options);
    } catch (error) {
      const retryable = !(error instanceof SsmError) || error.retryable;
      if (!retryable || attempt >= attempts) throw error;
      const ceiling = Math.min(2_000, base * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, randomInt(ceiling + 1)));
    }
  }
}

async function callOnce(operation: string, payload: object, options: SsmOptions) {
  const url = ssmEndpoint(options.region, options.endpoint);
  const body = JSON.stringify(payload);
  const credentials =
    typeof options.credentials === 'function' ? await options.credentials() : options.credentials;
  const headers = await signRequest(
    {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${operation}` },
      body,
    },
    credentials,
    { region: options.region, service: 'ssm' },
    new Date(),
  );
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const type = (typeof answer.__type === 'string' ? answer.__type : 'unknown error').replace(/^.*#/, '');
    const retryable = response.status >= 500 || /Throttling|TooManyUpdates|RequestLimitExceeded/.test(type);
    throw new SsmError(`SSM ${operation} failed: ${response.status} ${type}`, retryable);
  }
  return answer;
}

/** The decrypted value of parameter `name`; throws with SSM's error type (never the value) on failure. */
export async function getSsmParameter(name: string, options: SsmOptions): Promise<string> {
  const answer = await call('GetParameter', { Name: name, WithDecryption: true }, options);
  const value = (answer.Parameter as { Value?: unknown } | undefined)?.Value;
  if (typeof value !== 'string' || value === '') throw new SsmError(`SSM parameter ${name} is empty.`, false);
  return value;
}

/**
 * Stores `value` as SecureString parameter `name`, replacing an earlier value (PutParameter with
 * `"Type":"SecureString","Overwrite":true`; SSM API Reference, PutParameter).
 */
export async function putSsmParameter(name: string, value: string, options: SsmOptions): Promise<void> {
  await call('PutParameter', { Name: name, Value: value, Type: 'SecureString', Overwrite: true }, options);
}

/**
 * The decrypted values of `names`, by name, read with GetParameters in ⌈n/10⌉ calls made together. A name SSM
 * lists as invalid (missing, or not readable) or with an empty value fails the whole read, naming it.
 */
export async function getSsmParameters(
  names: readonly string[],
  options: SsmOptions,
): Promise<Map<string, string>> {
  const unique = [...new Set(names)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += SSM_BATCH) batches.push(unique.slice(i, i + SSM_BATCH));
  const values = new Map<string, string>();
  await Promise.all(
    batches.map(async (batch) => {
      const answer = await call('GetParameters', { Names: batch, WithDecryption: true }, options);
      const invalid = (answer.InvalidParameters as string[] | undefined) ?? [];
      if (invalid.length > 0) throw new SsmError(`SSM has no parameter ${invalid.join(', ')}.`, false);
      for (const p of (answer.Parameters as { Name?: unknown; Value?: unknown }[] | undefined) ?? [])
        if (typeof p.Name === 'string' && typeof p.Value === 'string' && p.Value !== '')
          values.set(p.Name, p.Value);
    }),
  );
  const absent = unique.filter((n) => !values.has(n));
  if (absent.length > 0) throw new SsmError(`SSM parameter ${absent.join(', ')} is empty.`, false);
  return values;
}
