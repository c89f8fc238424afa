/** Generates the local stack's secrets into .local/ (git-ignored) on first start, and reads them back. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The project's .local/ folder (MEDPAY_LOCAL_DIR moves it, so tests can run a second stack beside yours). */
export const LOCAL_DIR = resolve(
  process.env.MEDPAY_LOCAL_DIR ?? resolve(import.meta.dirname, '../../.local'),
);

/** Paths and values of the local secrets and the dev identities. */
export interface LocalSecrets {
  readonly jwtSecretFile: string;
  readonly jwtSecret: string;
  readonly patientId: string;
}

function ensureFile(path: string, make: () => string): string {
  if (!existsSync(path)) writeFileSync(path, make(), { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

/** Creates any missing secret (never overwriting one) and returns them all. */
export function ensureLocalSecrets(dir = LOCAL_DIR): LocalSecrets {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const jwtSecretFile = resolve(dir, 'jwt-hs256-secret');
  const jwtSecret = ensureFile(jwtSecretFile, () => randomBytes(32).toString('base64url'));
  const patientId = ensureFile(
    resolve(dir, 'dev-patient-id'),
    () => `P${randomBytes(6).toString('hex').toUpperCase()}`,
  );
  return { jwtSecretFile, jwtSecret, patientId };
}
