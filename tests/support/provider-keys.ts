/** RSA key pairs for tests, produced with node:crypto alone (independently of the adapters under test). */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

/** A 2048-bit RSA key pair as PKCS#8 / SPKI PEM strings. */
export function rsaKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/**
 * The two sides of a national insurance envelope with fresh SM2 key pairs and a shared SM4 key: the
 * hospital's (medpay signs with its key, verifies with the platform's) and the platform's (mirrored).
 */
export function insuranceEnvelopes() {
  const hospital = sm2.generateKeyPairHex();
  const platform = sm2.generateKeyPairHex();
  const shared = {
    appId: 'SANDBOXAPP0001',
    appSecret: randomBytes(16).toString('hex'),
    secretSeparator: '',
    version: '2.0.1',
    sm4KeyHex: randomBytes(16).toString('hex'),
    userId: '1234567812345678',
  };
  return {
    hospital: { ...shared, privateKeyHex: hospital.privateKey, platformPublicKeyHex: platform.publicKey },
    platform: { ...shared, privateKeyHex: platform.privateKey, platformPublicKeyHex: hospital.publicKey },
  };
}
