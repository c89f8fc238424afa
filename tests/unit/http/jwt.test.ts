/**
 * JWT verification with jose (lib/http/jwt.ts) against the world: RFC 7515's worked HS256 example
 * (Appendix A.1), and tokens signed by jose with HS256, RS256
 * and ES256 through a JWKS served over HTTP; then every way a token must be refused.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JwtError, remoteJwks, secretKey, verifyJwt } from '../../../lib/http/jwt';
import { signHs256 } from '../../support/tokens';

const hs = { algorithms: ['HS256'] as const, clockToleranceSec: 30 };
const asym = { algorithms: ['RS256', 'ES256'] as const, clockToleranceSec: 30 };
const nowSec = () => Math.floor(Date.now() / 1000);

describe('verifyJwt, HS256', () => {
  it("verifies RFC 7515 Appendix A.1's example with its key, and not with another", async () => {
    const token =
      'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const k = Buffer.from(
      'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
      'base64url',
    );
    const at2011 = { ...hs, now: () => new Date('2011-03-22T18:00:00Z') };
    await expect(verifyJwt(token, () => Promise.resolve(k), at2011)).resolves.toMatchObject({
      iss: 'joe',
      exp: 1300819380,
      'http://example.com/is_root': true,
    });
    const other = Buffer.from(k).fill(1, 0, 1);
    await expect(verifyJwt(token, () => Promise.resolve(other), at2011)).rejects.toThrow(JwtError);
  });

  it('verifies what jose signs, and jose verifies what medpay signs for dev tokens', async () => {
    const secret = 'a-test-secret-long-enough-for-hs256-0123';
    const token = await new SignJWT({ role: 'staff' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('S1')
      .setIssuer('medpay')
      .setAudience(['a', 'medpay-api'])
      .setExpirationTime('5m')
      .sign(Buffer.from(secret));
    await expect(
      verifyJwt(token, secretKey(secret), { ...hs, issuer: 'medpay', audience: 'medpay-api' }),
    ).resolves.toMatchObject({ sub: 'S1', role: 'staff' });
    const ours = signHs256(secret, { sub: 'P1', exp: nowSec() + 60 });
    const { jwtVerify } = await import('jose');
    await expect(jwtVerify(ours, Buffer.from(secret))).resolves.toMatchObject({ payload: { sub: 'P1' } });
  });

  it('refuses what it must: alg none or another alg, crit, no exp, expired, not yet valid, future iat, issuer, audience, tampering, padding', async () => {
    const secret = 'a-test-secret-long-enough-for-hs256-0123';
    const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256' }) => {
      const h = Buffer.from(JSON.stringify(header)).toString('base64url');
      const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
    };
    const ok = { sub: 'S1', iss: 'medpay', aud: 'medpay-api', exp: nowSec() + 60 };
    const check = { ...hs, issuer: 'medpay', audience: 'medpay-api' };
    await expect(verifyJwt(sign(ok), secretKey(secret), check)).resolves.toMatchObject({ sub: 'S1' });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(ok)).toString('base64url')}.`;
    const valid = sign(ok);
    const [h, p, s] = valid.split('.') as [string, string, string];
    const refused: [string, string][] = [
      ['alg none', none],
      ['HS512', sign(ok, { alg: 'HS512' })],
      ['crit', sign(ok, { alg: 'HS256', crit: ['exp'] })],
      ['no exp', sign({ ...ok, exp: undefined })],
      ['exp as text', sign({ ...ok, exp: String(nowSec() + 60) })],
      ['not yet valid', sign({ ...ok, nbf: nowSec() + 120 })],
      ['issued in the future', sign({ ...ok, iat: nowSec() + 120 })],
      ['another issuer', sign({ ...ok, iss: 'evil' })],
      ['another audience', sign({ ...ok, aud: ['other'] })],
      [
        'tampered payload',
        `${h}.${Buffer.from(JSON.stringify({ ...ok, sub: 'ADMIN' })).toString('base64url')}.${s}`,
      ],
      ['padded signature', `${h}.${p}.${s}=`],
      ['two parts', `${h}.${p}`],
      ['header not JSON', `${Buffer.from('nope').toString('base64url')}.${p}.${s}`],
    ];
    for (const [name, token] of refused)
      await expect(verifyJwt(token, secretKey(secret), check), name).rejects.toThrow(JwtError);
    await expect(
      verifyJwt(sign({ ...ok, exp: nowSec() - 120 }), secretKey(secret), check),
    ).rejects.toMatchObject({
      reason: 'expired',
    });
    // Within the tolerance: 20 s past exp still passes (30 s allowed).
    await expect(
      verifyJwt(sign({ ...ok, exp: nowSec() - 20 }), secretKey(secret), check),
    ).resolves.toBeTruthy();
  });
});

describe('verifyJwt, RS256 and ES256 against a JWKS', () => {
  let url: URL;
  let fetches = 0;
  let jwks: { keys: object[] } = { keys: [] };
  const server = createServer((_req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const token = (alg: 'RS256' | 'ES256', kid: string, key: Parameters<SignJWT['sign']>[0]) =>
    new SignJWT({ role: 'finance' })
      .setProtectedHeader({ alg, kid })
      .setSubject('F1')
      .setExpirationTime('5m')
      .sign(key);

  it('verifies jose-signed RS256 and ES256 tokens with the key their kid names, fetching the JWKS once', async () => {
    const keys = remoteJwks(url);
    fetches = 0;
    await expect(verifyJwt(await token('RS256', 'rsa-1', rsa.privateKey), keys, asym)).resolves.toMatchObject(
      {
        sub: 'F1',
      },
    );
    await expect(verifyJwt(await token('ES256', 'ec-1', ec.privateKey), keys, asym)).resolves.toMatchObject({
      sub: 'F1',
    });
    expect(fetches).toBe(1);
  });

  it('refuses an unknown kid (refetching at most every 30 s), a key of the wrong type, and HS256 keyed with the public key', async () => {
    // jose's key set reads Date.now(): the test moves it.
    vi.useFakeTimers({ toFake: ['Date'] });
    const keys = remoteJwks(url);
    fetches = 0;
    await expect(verifyJwt(await token('RS256', 'rsa-9', rsa.privateKey), keys, asym)).rejects.toThrow(
      JwtError,
    );
    await expect(verifyJwt(await token('RS256', 'rsa-9', rsa.privateKey), keys, asym)).rejects.toThrow(
      JwtError,
    );
    expect(fetches).toBe(1); // the second unknown kid came within the cooldown
    vi.setSystemTime(Date.now() + 31_000);
    await expect(verifyJwt(await token('RS256', 'rsa-9', rsa.privateKey), keys, asym)).rejects.toThrow(
      JwtError,
    );
    expect(fetches).toBe(2);
    // ES256 header naming the RSA key: no key of the right type.
    await expect(verifyJwt(await token('ES256', 'rsa-1', ec.privateKey), keys, asym)).rejects.toThrow(
      JwtError,
    );
    // Algorithm confusion: an HS256 token "signed" with the RSA public key's bytes is not even considered.
    const pem = Buffer.from(JSON.stringify(jwks.keys[0]));
    const confused = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .setSubject('X')
      .setExpirationTime('5m')
      .sign(pem);
    await expect(verifyJwt(confused, keys, asym)).rejects.toThrow(/HS256 is not accepted/);
  });
});
