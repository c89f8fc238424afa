/** Generates the local stack's secrets and provider keys into .local/ (git-ignored) on first start. */
import { sm2 } from 'sm-crypto-v2';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The project's .local/ folder (MEDPAY_LOCAL_DIR moves it, so tests can run a second stack beside yours). */
export const LOCAL_DIR = resolve(
  process.env.MEDPAY_LOCAL_DIR ?? resolve(import.meta.dirname, '../../.local'),
);

/** A key pair's files. */
export interface KeyFiles {
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
}

/** Paths and values of the local secrets, the sandbox providers' keys and the dev identities. */
export interface LocalSecrets {
  readonly dir: string;
  readonly jwtSecretFile: string;
  readonly jwtSecret: string;
  readonly patientId: string;
  readonly alipay: {
    readonly appId: string;
    readonly sellerId: string;
    /** The hospital app's key: medpay signs requests with it, the sandbox gateway verifies. */
    readonly app: KeyFiles;
    /** "Alipay's" key: the sandbox signs responses and notifications with it, medpay verifies. */
    readonly platform: KeyFiles;
  };
  readonly wechatpay: {
    readonly mchId: string;
    readonly appId: string;
    readonly merchantSerial: string;
    readonly merchant: KeyFiles;
    /** Platform certificate mode: a certificate serial and its key. */
    readonly certificateSerial: string;
    readonly certificate: KeyFiles;
    /** WeChat Pay public key mode (merchants registered since October 2024): PUB_KEY_ID_… and its key. */
    readonly publicKeyId: string;
    readonly publicKey: KeyFiles;
    readonly apiV3KeyFile: string;
    readonly payScoreServiceId: string;
  };
  readonly insurance: {
    /** The national platform's envelope: the hospital's side (medpay) and the platform's (the sandbox). */
    readonly appId: string;
    readonly hospitalFile: string;
    readonly platformFile: string;
  };
  /** The shared secret couriers sign delivery callbacks with. */
  readonly courier: { readonly callbackSecretFile: string };
  /** The hospital's account at the sandbox's fiscal e-receipt platform: its appid and signing key. */
  readonly ereceipt: { readonly appId: string; readonly keyFile: string };
  /** The key HIS endpoints' signing secrets are derived from. */
  readonly callbackSigningKeyFile: string;
  /** Where registered hospitals' credentials are kept (HOSPITAL_SECRETS=file:<dir>). */
  readonly hospitalSecretsDir: string;
}

function ensureFile(path: string, make: () => string): string {
  if (!existsSync(path)) writeFileSync(path, make(), { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

function ensureKeyPair(dir: string, name: string): KeyFiles {
  const privateKeyFile = resolve(dir, `${name}-private.pem`);
  const publicKeyFile = resolve(dir, `${name}-public.pem`);
  if (!existsSync(privateKeyFile) || !existsSync(publicKeyFile)) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o600 });
  }
  return { privateKeyFile, publicKeyFile };
}

/**
 * The secrets of the national insurance envelope, both sides: the SM4 key and app secret they share, and
 * each side's SM2 private key with the other side's public key (JSON, as medpay reads it from a secret).
 */
function ensureEnvelopeFiles(dir: string) {
  const hospitalFile = resolve(dir, 'insurance-hospital.json');
  const platformFile = resolve(dir, 'insurance-platform.json');
  if (!existsSync(hospitalFile) || !existsSync(platformFile)) {
    const hospital = sm2.generateKeyPairHex();
    const platform = sm2.generateKeyPairHex();
    const shared = { appSecret: randomBytes(16).toString('hex'), sm4KeyHex: randomBytes(16).toString('hex') };
    const write = (file: string, privateKeyHex: string, platformPublicKeyHex: string) =>
      writeFileSync(file, JSON.stringify({ ...shared, privateKeyHex, platformPublicKeyHex }), {
        mode: 0o600,
      });
    write(hospitalFile, hospital.privateKey, platform.publicKey);
    write(platformFile, platform.privateKey, hospital.publicKey);
  }
  return { hospitalFile, platformFile };
}

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

/** Creates any missing secret or key (never overwriting one) and returns them all. */
export function ensureLocalSecrets(dir = LOCAL_DIR): LocalSecrets {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const jwtSecretFile = resolve(dir, 'jwt-hs256-secret');
  const ids = JSON.parse(
    ensureFile(resolve(dir, 'ids.json'), () =>
      JSON.stringify({
        patientId: `P${randomBytes(6).toString('hex').toUpperCase()}`,
        alipayAppId: `2021${digits(12)}`,
        alipaySellerId: `2088${digits(12)}`,
        wechatMchId: `19${digits(8)}`,
        wechatAppId: `wx${randomBytes(8).toString('hex')}`,
        merchantSerial: randomBytes(20).toString('hex').toUpperCase(),
        certificateSerial: randomBytes(20).toString('hex').toUpperCase(),
        publicKeyId: `PUB_KEY_ID_01${digits(26)}`,
        payScoreServiceId: `5000${digits(26)}`,
      }),
    ),
  ) as Record<string, string>;
  const apiV3KeyFile = resolve(dir, 'wechatpay-apiv3-key');
  ensureFile(apiV3KeyFile, () => randomBytes(16).toString('hex'));
  const envelope = ensureEnvelopeFiles(dir);
  const courierSecretFile = resolve(dir, 'courier-callback-secret');
  ensureFile(courierSecretFile, () => randomBytes(32).toString('hex'));
  const ereceiptKeyFile = resolve(dir, 'ereceipt-key');
  ensureFile(ereceiptKeyFile, () => randomBytes(16).toString('hex'));
  const callbackSigningKeyFile = resolve(dir, 'callback-signing-key');
  ensureFile(callbackSigningKeyFile, () => randomBytes(32).toString('base64url'));
  return {
    dir,
    jwtSecretFile,
    jwtSecret: ensureFile(jwtSecretFile, () => randomBytes(32).toString('base64url')),
    patientId: ids.patientId as string,
    alipay: {
      appId: ids.alipayAppId as string,
      sellerId: ids.alipaySellerId as string,
      app: ensureKeyPair(dir, 'alipay-app'),
      platform: ensureKeyPair(dir, 'alipay-platform'),
    },
    wechatpay: {
      mchId: ids.wechatMchId as string,
      appId: ids.wechatAppId as string,
      merchantSerial: ids.merchantSerial as string,
      merchant: ensureKeyPair(dir, 'wechatpay-merchant'),
      certificateSerial: ids.certificateSerial as string,
      certificate: ensureKeyPair(dir, 'wechatpay-platform-cert'),
      publicKeyId: ids.publicKeyId as string,
      publicKey: ensureKeyPair(dir, 'wechatpay-platform-pubkey'),
      apiV3KeyFile,
      // Older .local/ids.json files predate Pay Score: a fixed sandbox service id then.
      payScoreServiceId: ids.payScoreServiceId ?? '500001000000000000000000000001',
    },
    insurance: { appId: `MP${ids.wechatMchId as string}`, ...envelope },
    courier: { callbackSecretFile: courierSecretFile },
    ereceipt: { appId: `EB${ids.wechatMchId as string}`, keyFile: ereceiptKeyFile },
    callbackSigningKeyFile,
    hospitalSecretsDir: resolve(dir, 'hospitals'),
  };
}
