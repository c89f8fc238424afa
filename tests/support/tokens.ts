/** A JWT signed synchronously for tests that build tokens by hand (HS256 over the claims as given). */
import { createHmac } from 'node:crypto';

/** An HS256 JWS compact token of `claims` under `secret`; jose verifies it (tests/unit/http/jwt.test.ts). */
export function signHs256(secret: string, claims: Record<string, unknown>): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${mac}`;
}
