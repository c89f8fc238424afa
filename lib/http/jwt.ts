/**
 * JSON Web Token verification (RFC 7519) over JWS compact serialisation (RFC 7515) on node:crypto, for the
 * three algorithms medpay accepts (RFC 7518 §3): HS256 with the local shared secret, RS256 and ES256 against
 * an identity provider's JWKS (RFC 7517). Written here rather than taken from jose: 19 KB in every bundle
 * (npm run bench, (c)). tests/unit/http/jwt.test.ts checks it against jose (a dev dependency) and against
 * RFC 7515's worked examples.
 *
 * Refused: another algorithm than the verifier's (so "none" and HS256-with-a-public-key never pass), a
 * `crit` header (no extension is understood), base64url that is not canonical, a token without `exp`,
 * one expired or not yet valid beyond the clock tolerance, and another issuer or audience than configured.
 */
import {
  createHmac,
  createPublicKey,
  timingSafeEqual,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

/** Why a token was refused: `expired`, or `invalid` for everything else. */
export class JwtError extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'JwtError';
  }
}

const invalid = (why: string) => new JwtError('invalid', why);

/** The JWS protected header fields medpay reads. */
export interface JwtHeader {
  readonly alg: string;
  readonly kid?: string;
}

/** The key that verifies a token with this header: the HS256 secret's bytes, or a public key. */
export type KeyFor = (header: JwtHeader) => Promise<Buffer | KeyObject>;

/** What a verification checks besides the signature. */
export interface JwtCheck {
  readonly algorithms: readonly ('HS256' | 'RS256' | 'ES256')[];
  readonly issuer?: string;
  readonly audience?: string;
  /** Seconds of clock skew forgiven on exp, nbf and iat. */
  readonly clockToleranceSec: number;
  readonly now?: () => Date;
}

/** base64url without padding, exactly as an encoder writes it (RFC 7515 §2); anything else is refused. */
function decodePart(part: string | undefined): Buffer {
  if (part === undefined || !/^[A-Za-z0-9_-]*$/.test(part)) throw invalid('not base64url');
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw invalid('not canonical base64url');
  return bytes;
}

function jsonObject(bytes: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('not a JSON object');
  return value as Record<string, unknown>;
}

/** True when `signature` is `alg`'s signature of `data` under `key`. */
function signatureValid(alg: string, data: Buffer, signature: Buffer, key: Buffer | KeyObject): boolean {
  if (alg === 'HS256') {
    if (!Buffer.isBuffer(key)) return false;
    const expected = createHmac('sha256', key).update(data).digest();
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
  if (Buffer.isBuffer(key) || key.type !== 'public') return false;
  if (alg === 'RS256') return key.asymmetricKeyType === 'rsa' && verify('sha256', data, key, signature);
  if (alg === 'ES256')
    return (
      key.asymmetricKeyType === 'ec' &&
      key.asymmetricKeyDetails?.namedCurve === 'prime256v1' &&
      signature.length === 64 &&
      verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)
    );
  return false;
}

/** Verifies `token` and returns its claims; throws JwtError otherwise. */
export async function verifyJwt(
  token: string,
  keyFor: KeyFor,
  check: JwtCheck,
): Promise<Record<string, unknown>> {
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid('not a JWS compact serialisation');
  const header = jsonObject(decodePart(parts[0]));
  const payload = jsonObject(decodePart(parts[1]));
  const signature = decodePart(parts[2]);
  const alg = header.alg;
  if (typeof alg !== 'string' || !(check.algorithms as readonly string[]).includes(alg))
    throw invalid(`algorithm ${String(alg)} is not accepted`);
  if (header.crit !== undefined) throw invalid('critical header extensions are not understood');
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const key = await keyFor({ alg, kid });
  if (!signatureValid(alg, Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), signature, key))
    throw invalid('signature does not verify');

  const now = Math.floor((check.now?.() ?? new Date()).getTime() / 1000);
  const skew = check.clockToleranceSec;
  const time = (name: string) => {
    const v = payload[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v)))
      throw invalid(`${name} is not a number`);
    return v;
  };
  const exp = time('exp');
  if (exp === undefined) throw invalid('exp is required');
  if (now > exp + skew) throw new JwtError('expired', 'the token has expired');
  const nbf = time('nbf');
  if (nbf !== undefined && now < nbf - skew) throw invalid('the token is not valid yet');
  const iat = time('iat');
  if (iat !== undefined && iat > now + skew) throw invalid('the token was issued in the future');
  if (check.issuer !== undefined && payload.iss !== check.issuer) throw invalid('another issuer');
  if (check.audience !== undefined) {
    const aud = payload.aud;
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(check.audience)) throw invalid('another audience');
  }
  return payload;
}

/** The HS256 key of a shared secret. */
export const secretKey = (secret: string): KeyFor => {
  const key = Buffer.from(secret, 'utf8');
  return () => Promise.resolve(key);
};

/**
 * The public keys of a JWKS URL: fetched on first use, again when stale (10 min) and when a token names an
 * unknown `kid` (at most every 30 s, so forged kids cannot make us hammer the identity provider).
 */
export function remoteJwks(url: URL, options: { timeoutMs?: number; now?: () => number } = {}): KeyFor {
  const now = options.now ?? Date.now;
  let keys: { jwk: JsonWebKey & { kid?: string; alg?: string; use?: string }; key: KeyObject }[] = [];
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;
  const refresh = () =>
    (pending ??= (async () => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) });
        if (!response.ok) throw invalid(`the JWKS answered ${response.status}`);
        const body = (await response.json()) as { keys?: unknown };
        if (!Array.isArray(body.keys)) throw invalid('the JWKS has no keys');
        keys = (body.keys as (JsonWebKey & { use?: string })[]).flatMap((jwk) => {
          if (jwk.use !== undefined && jwk.use !== 'sig') return [];
          if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') return [];
          try {
            return [{ jwk, key: createPublicKey({ key: jwk, format: 'jwk' }) }];
          } catch {
            return []; // a key this runtime cannot import is skipped, not fatal
          }
        });
        fetchedAt = now();
      } finally {
        pending = undefined;
      }
    })());
  const matching = ({ alg, kid }: JwtHeader) =>
    keys.filter(
      ({ jwk }) =>
        (kid === undefined || jwk.kid === kid) &&
        (jwk.alg === undefined || jwk.alg === alg) &&
        jwk.kty === (alg.startsWith('RS') ? 'RSA' : 'EC'),
    );
  return async (header) => {
    if (now() - fetchedAt > 600_000) await refresh();
    let found = matching(header);
    if (found.length === 0 && now() - fetchedAt > 30_000) {
      await refresh();
      found = matching(header);
    }
    if (found.length !== 1)
      throw invalid(found.length === 0 ? 'no key for this token' : 'several keys match');
    return (found[0] as { key: KeyObject }).key;
  };
}

/** Signs an HS256 token (dev tokens only: the local stack, tests and `npm run token`). */
export function signHs256(secret: string, claims: Record<string, unknown>): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${mac}`;
}
