/**
 * The Medpay-Signature scheme (modelled on Stripe's webhook signatures): `t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<raw body>">`, keyed with the endpoint's secret (the whole `whsec_…` string as UTF-8).
 * During a secret rotation's overlap one v1 is sent per valid secret; a receiver accepts any that matches.
 * Endpoint secrets are derived from the stage's signing key, so the table holds none.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CallbackSigner } from '../../ports/callbacks';

/** The endpoint's secret for a version: HMAC-SHA256(signing key, "medpay-endpoint-secret\n<id>\n<version>"). */
export function endpointSecret(signingKey: string, endpointId: string, version: number): string {
  const mac = createHmac('sha256', signingKey).update(`medpay-endpoint-secret\n${endpointId}\n${version}`);
  return `whsec_${mac.digest('base64url')}`;
}

/** The hex HMAC-SHA256 of "<t>.<body>" under `secret`. */
const v1 = (secret: string, timestampSec: number, body: string) =>
  createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');

/** The Medpay-Signature header value for a body. */
export function signatureHeader(secrets: readonly string[], timestampSec: number, body: string): string {
  return [`t=${timestampSec}`, ...secrets.map((s) => `v1=${v1(s, timestampSec, body)}`)].join(',');
}

/**
 * The receiver's check, as the README documents it: some v1 matches the HMAC of "t.body" under the
 * endpoint's secret (compared in constant time), and t is within `toleranceSec` of now (replays fail).
 */
export function verifySignature(
  header: string,
  body: string,
  secret: string,
  nowSec: number,
  toleranceSec = 300,
): boolean {
  const parts = header.split(',').map((p) => p.split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSec - t) > toleranceSec) return false;
  const expected = Buffer.from(v1(secret, t, body), 'hex');
  return parts.some(
    ([k, value]) =>
      k === 'v1' &&
      value !== undefined &&
      value.length === expected.length * 2 &&
      timingSafeEqual(Buffer.from(value, 'hex'), expected),
  );
}

/** The CallbackSigner over the stage's signing key (read on first use). */
export function hmacCallbackSigner(signingKey: () => Promise<string | undefined>): CallbackSigner {
  return {
    async secret(endpointId, version) {
      const key = await signingKey();
      if (!key || key.length < 32)
        throw new Error('CALLBACK_SIGNING_KEY is not configured (at least 32 characters).');
      return endpointSecret(key, endpointId, version);
    },
    header: signatureHeader,
  };
}
