/**
 * Resolves secret references: `file:<path>` (local, .local/) or `ssm:<name>` (SSM SecureString on AWS).
 *
 * SSM names asked for in the same turn of the event loop are read together, GetParameters with at most 10
 * names per call, so a cold start that needs n secrets makes ⌈n/10⌉ calls (the composers ask for all of theirs
 * at once). Throttling is retried with backoff and jitter (../adapters/aws/ssm.ts). Values are kept for the
 * container's life but at most SECRET_TTL_MS, so a rotated secret is picked up: composeDeps rebuilds a
 * function's dependencies after that long, reading again what has expired.
 */
import { readFile } from 'node:fs/promises';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentials } from '../adapters/aws/sigv4';
import { getSsmParameters } from '../adapters/aws/ssm';

/** How long a secret read from SSM is used before it is read again. */
export const SECRET_TTL_MS = 15 * 60_000;

let credentialChain: (() => Promise<AwsCredentials>) | undefined;

/**
 * The function's AWS credentials from the SDK's default provider chain (environment, SSO, shared files,
 * web identity, container and instance metadata), memoised and refreshed before they expire. On Lambda they
 * are the execution role's keys in the environment; locally `npm start` sets s3rver's fixed key.
 */
export function awsCredentials(): Promise<AwsCredentials> {
  credentialChain ??= defaultProvider();
  return credentialChain();
}

interface Cached {
  readonly value: Promise<string>;
  readonly expiresAt: number;
}
const cache = new Map<string, Cached>();
/** A caller waiting for a queued name's value. */
interface Waiter {
  readonly resolve: (value: string) => void;
  readonly reject: (error: unknown) => void;
}
let queued: Map<string, Waiter> | undefined;

/** Reads every queued SSM name in one GetParameters round (⌈n/10⌉ calls) and settles their promises. */
function flush(region: string): void {
  const batch: Map<string, Waiter> = queued ?? new Map<string, Waiter>();
  queued = undefined;
  getSsmParameters([...batch.keys()], {
    region,
    endpoint: process.env.AWS_ENDPOINT_URL_SSM,
    credentials: awsCredentials,
  }).then(
    (values) => {
      for (const [name, waiter] of batch) waiter.resolve(values.get(name) ?? '');
    },
    (error: unknown) => {
      for (const [name, waiter] of batch) {
        cache.delete(name); // a failed read is not kept: the next cold start or request tries again
        waiter.reject(error);
      }
    },
  );
}

/** The value of SSM parameter `name`, from the cache while fresh, else queued for the next batch. */
function ssmSecret(name: string, region: string): Promise<string> {
  const hit = cache.get(name);
  if (hit && hit.expiresAt > Date.now()) return hit.value;
  if (!queued) {
    queued = new Map();
    setImmediate(() => flush(region));
  }
  const value = new Promise<string>((resolve, reject) => queued?.set(name, { resolve, reject }));
  cache.set(name, { value, expiresAt: Date.now() + SECRET_TTL_MS });
  return value;
}

/**
 * Reads the secret a reference points to. The value is never logged. AWS_ENDPOINT_URL_SSM overrides the
 * SSM endpoint, as in the SDKs.
 */
export async function resolveSecret(ref: string, region: string): Promise<string> {
  if (ref.startsWith('file:')) return (await readFile(ref.slice('file:'.length), 'utf8')).trim();
  if (ref.startsWith('ssm:')) return ssmSecret(ref.slice('ssm:'.length), region);
  throw new Error('A secret reference must start with "file:" or "ssm:".');
}

/** Reads several references at once, so their SSM names share one batch; values in the order given. */
export function resolveSecrets<const T extends readonly string[]>(
  refs: T,
  region: string,
): Promise<{ readonly [K in keyof T]: string }> {
  return Promise.all(refs.map((ref) => resolveSecret(ref, region))) as Promise<{
    readonly [K in keyof T]: string;
  }>;
}

/** Forgets every cached value (tests, and the doctor between checks). */
export function clearSecretCache(): void {
  cache.clear();
}
