/**
 * JSON Web Token verification with `jose` (RFC 7515/7519): HS256 with the local shared secret, RS256 and
 * ES256 against an identity provider's JWKS. Token verification is never written by hand (docs/dependencies.md);
 * this file only states medpay's policy and maps jose's errors to medpay's two reasons.
 *
 * Refused: another algorithm than the verifier's (so "none" and HS256-with-a-public-key never pass), a `crit`
 * header (no extension is understood), a token without `exp`, one expired or not yet valid beyond the clock
 * tolerance, one issued in the future beyond it, and another issuer or audience than configured.
 */
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

/** Why a token was refused: `expired`, or `invalid` for everything else. */
export class JwtError extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JwtError';
  }
}

/** The key that verifies a token with a given protected header: jose's key resolver. */
export type KeyFor = JWTVerifyGetKey;

/** What a verification checks besides the signature. */
export interface JwtCheck {
  readonly algorithms: readonly ('HS256' | 'RS256' | 'ES256')[];
  readonly issuer?: string;
  readonly audience?: string;
  /** Seconds of clock skew forgiven on exp, nbf and iat. */
  readonly clockToleranceSec: number;
  readonly now?: () => Date;
}

// Compact serialisation with unpadded base64url parts (RFC 7515 §2, §7.1): a padded or otherwise
// non-canonical token is refused before jose sees it.
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The header's `alg`, for an error message (the token may not even decode). */
function algOf(token: string): string {
  try {
    return String(decodeProtectedHeader(token).alg);
  } catch {
    return 'unknown';
  }
}

/** Verifies `token` with jose and returns its claims; throws JwtError otherwise. */
export async function verifyJwt(token: string, keyFor: KeyFor, check: JwtCheck): Promise<JWTPayload> {
  if (!COMPACT.test(token)) throw new JwtError('invalid', 'not a JWS compact serialisation');
  const now = check.now?.() ?? new Date();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keyFor, {
      algorithms: [...check.algorithms],
      issuer: check.issuer,
      audience: check.audience,
      clockTolerance: check.clockToleranceSec,
      currentDate: now,
      requiredClaims: ['exp'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired)
      throw new JwtError('expired', 'the token has expired', { cause: error });
    if (error instanceof errors.JOSEAlgNotAllowed)
      throw new JwtError('invalid', `algorithm ${algOf(token)} is not accepted`, { cause: error });
    throw new JwtError('invalid', error instanceof Error ? error.message : 'not valid', { cause: error });
  }
  // jose checks `iat` only together with maxTokenAge, which would make `iat` required: checked here.
  if (typeof payload.iat === 'number' && payload.iat > now.getTime() / 1000 + check.clockToleranceSec)
    throw new JwtError('invalid', 'the token was issued in the future');
  return payload;
}

/** The HS256 key of a shared secret. */
export const secretKey = (secret: string): KeyFor => {
  const key = new TextEncoder().encode(secret);
  return () => key;
};

/**
 * The public keys of a JWKS URL, with jose's remote key set: fetched on first use, again when older than
 * 10 min, and when a token names an unknown `kid` at most every 30 s (its cooldown), so forged kids cannot
 * make us hammer the identity provider.
 */
export function remoteJwks(url: URL, options: { timeoutMs?: number } = {}): KeyFor {
  return createRemoteJWKSet(url, {
    timeoutDuration: options.timeoutMs ?? 5_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 600_000,
  });
}
