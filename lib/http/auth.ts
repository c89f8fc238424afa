/** Bearer JWT verification (./jwt.ts): HS256 with a shared secret locally, RS256/ES256 against a JWKS in production. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';
import { JwtError, remoteJwks, secretKey, verifyJwt, type KeyFor } from './jwt';
import { ForbiddenError, UnauthenticatedError } from '../domain/errors';
import { isHospitalId } from '../domain/hospital';

/** The roles a token may carry: four act within one hospital, the operator runs the platform. */
export const ROLES = ['patient', 'staff', 'finance', 'admin', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** The platform operator's role: onboards hospitals, and reads or changes no hospital's records. */
export const OPERATOR = 'operator';

/** A courier company's delivery callback: authenticated by a shared-secret signature, not a token. */
export const COURIER = 'courier';
/** Every kind of caller a route may allow. */
export type CallerRole = Role | typeof COURIER;

/** Who is calling: the token's subject and role, and the hospital it acts within (none for the operator). */
export interface Caller {
  readonly sub: string;
  readonly role: CallerRole;
  readonly hospitalId?: string;
}

/**
 * Verifies a bearer token and returns the caller.
 * @example const caller = await verifier.verify(token); // { sub: 'P1', role: 'patient' }
 */
export interface TokenVerifier {
  verify(token: string): Promise<Caller>;
}

/** Options shared by every verifier. */
export interface VerifyOptions {
  readonly issuer?: string;
  readonly audience?: string;
  /** The hospital of a token without the `hospital` claim; unset: such a token is refused. */
  readonly defaultHospital?: string;
}

/** Verifies HS256 tokens signed with a shared secret (local stack and tests). */
export function hs256Verifier(secret: string, options: VerifyOptions = {}): TokenVerifier {
  return verifierFor(secretKey(secret), ['HS256'], options);
}

/** Verifies RS256/ES256 tokens against an identity provider's JWKS (keys cached, refreshed on rotation). */
export function jwksVerifier(jwksUrl: string, options: VerifyOptions = {}): TokenVerifier {
  return verifierFor(remoteJwks(new URL(jwksUrl)), ['RS256', 'ES256'], options);
}

/**
 * A verifier built on first use: functions that never authenticate (webhooks, jobs) never read the HS256
 * secret, so their IAM roles need no access to it. A failed build (an SSM outage) is a 5xx, retried next time.
 */
export function lazyVerifier(build: () => Promise<TokenVerifier>): TokenVerifier {
  let built: Promise<TokenVerifier> | undefined;
  return {
    async verify(token) {
      built ??= build().catch((error: unknown) => {
        built = undefined;
        throw error;
      });
      return (await built).verify(token);
    },
  };
}

/** Clock skew forgiven on exp, nbf and iat. */
const CLOCK_TOLERANCE_SEC = 30;

function verifierFor(
  keyFor: KeyFor,
  algorithms: readonly ('HS256' | 'RS256' | 'ES256')[],
  options: VerifyOptions,
): TokenVerifier {
  return {
    async verify(token) {
      let payload;
      try {
        payload = await verifyJwt(token, keyFor, {
          algorithms,
          issuer: options.issuer,
          audience: options.audience,
          clockToleranceSec: CLOCK_TOLERANCE_SEC,
        });
      } catch (error) {
        const reason =
          error instanceof JwtError && error.reason === 'expired'
            ? 'The token has expired.'
            : 'The token is not valid.';
        throw new UnauthenticatedError(reason, { cause: error });
      }
      const role = payload.role;
      if (typeof payload.sub !== 'string' || payload.sub.length === 0 || !ROLES.includes(role as Role)) {
        throw new UnauthenticatedError(`The token must carry "sub" and a "role" of ${ROLES.join(', ')}.`);
      }
      return { sub: payload.sub, role: role as Role, ...hospitalOf(role as Role, payload.hospital, options) };
    },
  };
}

/**
 * The hospital a verified token acts within: its `hospital` claim, or the default hospital where tokens may
 * leave it out. An operator token names none (the platform is not a hospital), so it carries no claim.
 */
function hospitalOf(role: Role, claim: unknown, options: VerifyOptions): { hospitalId?: string } {
  if (role === OPERATOR) {
    if (claim !== undefined) throw new UnauthenticatedError('An operator token carries no "hospital" claim.');
    return {};
  }
  if (claim === undefined && options.defaultHospital) return { hospitalId: options.defaultHospital };
  if (!isHospitalId(claim))
    throw new UnauthenticatedError('The token must carry a "hospital" claim naming a hospital id.');
  return { hospitalId: claim };
}

/** Reads `Authorization: Bearer <jwt>` and verifies it. */
export async function authenticateHeader(
  header: string | undefined,
  verifier: TokenVerifier,
): Promise<Caller> {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  if (!match?.[1]) throw new UnauthenticatedError('Send "Authorization: Bearer <token>".');
  return verifier.verify(match[1]);
}

/** Throws ForbiddenError unless the caller's role is one of `allowed`. */
export function requireRole(caller: Caller, allowed: readonly CallerRole[]): void {
  if (!allowed.includes(caller.role)) {
    throw new ForbiddenError(
      `This route needs the role ${allowed.join(' or ')}; the token has ${caller.role}.`,
      {
        role: caller.role,
      },
    );
  }
}

/**
 * Verifies a courier callback: `X-Courier-Signature` = hex HMAC-SHA256(secret, "<X-Courier-Timestamp>\n<raw
 * body>"), the timestamp (Unix seconds) within 300 s of now.
 */
export function verifyCourierSignature(
  secret: string | undefined,
  timestamp: string | undefined,
  signature: string | undefined,
  body: string,
  now: Date,
  hospitalId: string,
): Caller {
  if (!secret) throw new UnauthenticatedError('Courier callbacks are not configured here.');
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || Math.abs(now.getTime() / 1000 - Number(timestamp)) > 300)
    throw new UnauthenticatedError('X-Courier-Timestamp must be Unix seconds within 300 s of now.');
  const expected = createHmac('sha256', secret).update(`${timestamp}\n${body}`).digest();
  const given = Buffer.from(signature ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new UnauthenticatedError('X-Courier-Signature does not match the body.');
  if (!isHospitalId(hospitalId)) throw new UnauthenticatedError('X-Hospital-Id must name a hospital id.');
  return { sub: COURIER, role: COURIER, hospitalId };
}

/** Signs an HS256 dev token with jose (local stack, tests and `npm run token`); never used on AWS. */
export async function signDevToken(
  secret: string,
  caller: Caller,
  options: VerifyOptions & { ttlSec?: number } = {},
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const token = new SignJWT({
    role: caller.role,
    ...(caller.hospitalId ? { hospital: caller.hospitalId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(caller.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.ttlSec ?? 12 * 3600));
  if (options.issuer) token.setIssuer(options.issuer);
  if (options.audience) token.setAudience(options.audience);
  return token.sign(new TextEncoder().encode(secret));
}

/** The patient a caller is confined to: patients see only their own records (others get 404); staff see all. */
export const patientScope = (caller: Caller): string | undefined =>
  caller.role === 'patient' ? caller.sub : undefined;

/** Who a request is for: a patient always themself; staff name the patient (or act as themself). */
export const patientFor = (caller: Caller, named: string | undefined): string =>
  caller.role === 'patient' ? caller.sub : (named ?? caller.sub);
