/** RSA key pairs for tests, produced with node:crypto alone (independently of the adapters under test). */
import { generateKeyPairSync } from 'node:crypto';

/** A 2048-bit RSA key pair as PKCS#8 / SPKI PEM strings. */
export function rsaKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}
