import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '../../../lib/domain/errors';
import { authenticateHeader, hs256Verifier, requireRole, signDevToken } from '../../../lib/http/auth';

const secret = 'a-test-secret-long-enough-for-hs256-0123';
const verifier = hs256Verifier(secret, { issuer: 'medpay-test' });

describe('JWT authentication', () => {
  it('returns the caller of a valid token, with the hospital its claim names', async () => {
    const token = await signDevToken(
      secret,
      { sub: 'P1', role: 'patient', hospitalId: 'h-east' },
      { issuer: 'medpay-test' },
    );
    await expect(authenticateHeader(`Bearer ${token}`, verifier)).resolves.toEqual({
      sub: 'P1',
      role: 'patient',
      hospitalId: 'h-east',
    });
  });

  it('gives a token without a hospital claim the default hospital where one is configured, else refuses it', async () => {
    const token = await signDevToken(secret, { sub: 'S1', role: 'staff' }, { issuer: 'medpay-test' });
    await expect(authenticateHeader(`Bearer ${token}`, verifier)).rejects.toThrow(/hospital/);
    const lenient = hs256Verifier(secret, { issuer: 'medpay-test', defaultHospital: 'default' });
    await expect(authenticateHeader(`Bearer ${token}`, lenient)).resolves.toEqual({
      sub: 'S1',
      role: 'staff',
      hospitalId: 'default',
    });
  });

  it('refuses a malformed hospital claim, and an operator token that names a hospital', async () => {
    const key = new TextEncoder().encode(secret);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('X1')
        .setIssuer('medpay-test')
        .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
        .sign(key);
    for (const hospital of ['H-EAST', 'a', 'x'.repeat(33), 7, '../other'])
      await expect(verifier.verify(await sign({ role: 'staff', hospital }))).rejects.toThrow(
        UnauthenticatedError,
      );
    await expect(verifier.verify(await sign({ role: 'operator', hospital: 'h-east' }))).rejects.toThrow(
      /operator/,
    );
    await expect(verifier.verify(await sign({ role: 'operator' }))).resolves.toEqual({
      sub: 'X1',
      role: 'operator',
    });
  });

  it.each([
    ['no header', undefined],
    ['a non-bearer scheme', 'Basic dXNlcjpwYXNz'],
    ['garbage', 'Bearer not.a.jwt'],
  ])('refuses %s with UNAUTHENTICATED', async (_name, header) => {
    await expect(authenticateHeader(header, verifier)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuses an expired token, a wrong secret, a wrong issuer, an unknown role and alg=none', async () => {
    const key = new TextEncoder().encode(secret);
    const expired = await new SignJWT({ role: 'staff' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('S1')
      .setIssuer('medpay-test')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 120)
      .sign(key);
    const wrongSecret = await signDevToken(
      'another-secret-entirely-0123456789abc',
      { sub: 'S1', role: 'staff' },
      { issuer: 'medpay-test' },
    );
    const wrongIssuer = await signDevToken(secret, { sub: 'S1', role: 'staff' }, { issuer: 'someone-else' });
    const unknownRole = await new SignJWT({ role: 'root' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('S1')
      .setIssuer('medpay-test')
      .setExpirationTime('1h')
      .sign(key);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"S1","role":"admin"}').toString('base64url')}.`;
    for (const token of [expired, wrongSecret, wrongIssuer, unknownRole, unsigned]) {
      await expect(verifier.verify(token)).rejects.toThrow(UnauthenticatedError);
    }
    await expect(verifier.verify(expired)).rejects.toThrow('expired');
  });

  it('refuses a role the route does not allow with FORBIDDEN', () => {
    expect(() => requireRole({ sub: 'P1', role: 'patient' }, ['staff', 'admin'])).toThrow(ForbiddenError);
    expect(() => requireRole({ sub: 'S1', role: 'staff' }, ['staff', 'admin'])).not.toThrow();
  });
});
