/**
 * The checks of `npm run doctor` (#12), on one stage's function environment, changing nothing:
 *   1. the variables parse with medpay's own config schema, and a deployed stage's URLs are https with the
 *      notify URLs at the webhook paths;
 *   2. every secret reference resolves, and parses: PEM keys (RSA, 2048 bits or more), certificates, the
 *      32-byte APIv3 key ("APIv3密钥 … 32位", WeChat Pay 商户平台 API安全), non-empty shared secrets;
 *   3. certificates are valid now (and for 30 more days, or a warning); an Alipay app certificate belongs
 *      to the app key; a WeChat Pay platform certificate's serial is the serial it is configured under;
 *   4. live, read-only: each provider accepts our signature and its answer verifies with the configured
 *      platform key (a query for an order that does not exist: Alipay ACQ.TRADE_NOT_EXIST, WeChat Pay
 *      404 ORDER_NOT_EXIST). A merchant key that is not the merchant serial's is refused here
 *      (WeChat Pay 401 SIGN_ERROR, Alipay isv.invalid-signature).
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { alipayClient, alipayOk, alipayPublicKeyPem } from '../../lib/adapters/alipay/client';
import { wechatFailed, wechatpayApi } from '../../lib/adapters/wechatpay/client';
import { deployedStageIssues, parseConfig, type Config } from '../../lib/config/config';

/** One check's outcome. */
export interface Finding {
  readonly check: string;
  readonly status: 'ok' | 'warn' | 'fail';
  readonly detail: string;
}

/** What the checks need besides the environment. */
export interface DoctorOptions {
  /** `local` allows http URLs (the sandbox and serverless-offline). */
  readonly stage: string;
  readonly now: Date;
  /** Reads a secret reference (file: or ssm:); throws when it cannot. */
  readonly readSecret: (ref: string) => Promise<string>;
  /** Skip the provider calls (offline checks only). */
  readonly offline?: boolean;
}

const WARN_BEFORE_EXPIRY_MS = 30 * 86_400_000;
const PROBE_ORDER = 'MEDPAY-DOCTOR-PROBE-0000000000';

/** Runs every check; the stage is healthy when no finding is `fail`. */
export async function diagnose(
  env: Record<string, string | undefined>,
  given: DoctorOptions,
): Promise<Finding[]> {
  // Each secret is read once (an SSM call on a deployed stage), however many checks use it.
  const cache = new Map<string, Promise<string>>();
  const options: DoctorOptions = {
    ...given,
    readSecret: (ref) => {
      if (!cache.has(ref)) cache.set(ref, given.readSecret(ref));
      return cache.get(ref) as Promise<string>;
    },
  };
  const findings: Finding[] = [];
  const add = (check: string, status: Finding['status'], detail: string) =>
    findings.push({ check, status, detail });

  const parsed = parseConfig(env);
  const urlIssues = deployedStageIssues(env).filter(
    (i) => options.stage !== 'local' || !/https/.test(i.message),
  );
  for (const i of parsed.ok ? [] : parsed.issues) add(i.variable || 'configuration', 'fail', i.message);
  for (const i of urlIssues) add(i.variable || 'configuration', 'fail', i.message);
  if (!parsed.ok) return findings;
  if (urlIssues.length === 0)
    add('configuration', 'ok', `parses; channels: ${channels(parsed.config).join(', ') || 'none'}`);

  const secrets = new SecretChecks(options, add);
  const config = parsed.config;
  if (config.auth.mode === 'hs256') await secrets.text('AUTH_HS256_SECRET', config.auth.secretRef, 32);
  if (config.copies.courierSecretRef)
    await secrets.text('COURIER_CALLBACK_SECRET', config.copies.courierSecretRef, 16);
  if (config.callbacks.signingKeyRef)
    await secrets.text('CALLBACK_SIGNING_KEY', config.callbacks.signingKeyRef, 32);
  if (config.insurancePlatform)
    await secrets.envelopeKeys('INSURANCE_PLATFORM_KEYS', config.insurancePlatform.keysRef);

  const a = config.alipay;
  if (a) {
    const appKey = await secrets.privateKey('ALIPAY_APP_PRIVATE_KEY', a.appPrivateKeyRef);
    let alipayKey: string | undefined;
    if (a.certificates) {
      const appCert = await secrets.certificate('ALIPAY_APP_CERT', a.certificates.appCertRef);
      if (appCert && appKey)
        add(
          'ALIPAY_APP_CERT',
          appCert.checkPrivateKey(appKey) ? 'ok' : 'fail',
          appCert.checkPrivateKey(appKey)
            ? 'belongs to the app private key'
            : 'is not the app private key’s certificate',
        );
      const publicCert = await secrets.certificate('ALIPAY_PUBLIC_CERT', a.certificates.alipayPublicCertRef);
      await secrets.certificate('ALIPAY_ROOT_CERT', a.certificates.alipayRootCertRef);
      if (publicCert)
        alipayKey = alipayPublicKeyPem({ mode: 'certificate', alipayPublicCert: publicCert.toString() });
    } else {
      const key = await secrets.read('ALIPAY_PUBLIC_KEY', a.alipayPublicKeyRef);
      if (key !== undefined) {
        try {
          alipayKey = alipayPublicKeyPem({ mode: 'public-key', alipayPublicKey: key });
          createPublicKey(alipayKey);
          add('ALIPAY_PUBLIC_KEY', 'ok', 'an RSA public key');
        } catch {
          add(
            'ALIPAY_PUBLIC_KEY',
            'fail',
            'is not a public key (PEM, or the bare base64 the open platform shows)',
          );
          alipayKey = undefined;
        }
      }
    }
    if (!options.offline && appKey && alipayKey)
      await probeAlipay(add, {
        ...a,
        appKey,
        alipayKey,
        certificates: a.certificates,
        readSecret: options.readSecret,
      });
  }

  const w = config.wechatpay;
  if (w) {
    const merchantKey = await secrets.privateKey('WECHATPAY_MERCHANT_PRIVATE_KEY', w.merchantPrivateKeyRef);
    const apiV3Key = await secrets.read('WECHATPAY_APIV3_KEY', w.apiV3KeyRef);
    if (apiV3Key !== undefined) {
      const bytes = Buffer.byteLength(apiV3Key, 'utf8');
      add(
        'WECHATPAY_APIV3_KEY',
        bytes === 32 ? 'ok' : 'fail',
        bytes === 32 ? '32 bytes' : `must be 32 bytes (AES-256-GCM), is ${bytes}`,
      );
    }
    const platformKeys: Record<string, string> = {};
    for (const [serial, ref] of Object.entries(w.platformKeyRefs)) {
      const value = await secrets.read(`WECHATPAY_PLATFORM_KEYS ${serial}`, ref);
      if (value === undefined) continue;
      const checked = secrets.platformKey(serial, value);
      if (checked) platformKeys[serial] = value;
    }
    if (!options.offline && merchantKey && Object.keys(platformKeys).length > 0)
      await probeWechatpay(add, { ...w, merchantKey, platformKeys, apiV3Key: apiV3Key ?? '' });
  }
  return findings;
}

const channels = (c: Config) => [c.alipay ? 'alipay' : '', c.wechatpay ? 'wechatpay' : ''].filter(Boolean);

/** Reading and parsing secrets, each outcome reported. */
class SecretChecks {
  constructor(
    private readonly options: DoctorOptions,
    private readonly add: (check: string, status: Finding['status'], detail: string) => void,
  ) {}

  /** The secret's text, or undefined (reported) when it cannot be read. */
  async read(name: string, ref: string): Promise<string | undefined> {
    try {
      return (await this.options.readSecret(ref)).trim();
    } catch (error) {
      const code = (error as { code?: string }).code;
      this.add(name, 'fail', `${ref} cannot be read (${code ?? (error as Error).message})`);
      return undefined;
    }
  }

  /** A shared secret of at least `min` characters. */
  async text(name: string, ref: string, min: number) {
    const value = await this.read(name, ref);
    if (value === undefined) return;
    this.add(
      name,
      value.length >= min ? 'ok' : 'fail',
      value.length >= min ? 'present' : `must be at least ${min} characters`,
    );
  }

  /** The insurance platform's envelope secret: JSON with the app secret, SM4 key and both SM2 keys in hex. */
  async envelopeKeys(name: string, ref: string) {
    const value = await this.read(name, ref);
    if (value === undefined) return;
    const shapes: Record<string, RegExp> = {
      appSecret: /^.{8,}$/,
      sm4KeyHex: /^[0-9a-fA-F]{32}$/,
      privateKeyHex: /^[0-9a-fA-F]{64}$/,
      platformPublicKeyHex: /^04[0-9a-fA-F]{128}$/,
    };
    let keys: Record<string, unknown> = {};
    try {
      keys = JSON.parse(value) as Record<string, unknown>;
    } catch {
      this.add(name, 'fail', 'is not JSON {appSecret, sm4KeyHex, privateKeyHex, platformPublicKeyHex}');
      return;
    }
    const bad = Object.entries(shapes).filter(([k, re]) => typeof keys[k] !== 'string' || !re.test(keys[k]));
    this.add(
      name,
      bad.length === 0 ? 'ok' : 'fail',
      bad.length === 0
        ? 'SM4 key and SM2 key pair present'
        : `missing or malformed: ${bad.map(([k]) => k).join(', ')}`,
    );
  }

  /** An RSA private key of 2048 bits or more. */
  async privateKey(name: string, ref: string): Promise<KeyObject | undefined> {
    const value = await this.read(name, ref);
    if (value === undefined) return undefined;
    try {
      const key = createPrivateKey(value);
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (key.asymmetricKeyType !== 'rsa' || bits < 2048) {
        this.add(
          name,
          'fail',
          `must be an RSA key of 2048 bits or more (is ${key.asymmetricKeyType} ${bits})`,
        );
        return undefined;
      }
      this.add(name, 'ok', `RSA ${bits}-bit private key`);
      return key;
    } catch {
      this.add(name, 'fail', 'is not a PEM private key');
      return undefined;
    }
  }

  /** A certificate (the first of a bundle), valid now; a warning within 30 days of its end. */
  async certificate(name: string, ref: string): Promise<X509Certificate | undefined> {
    const value = await this.read(name, ref);
    if (value === undefined) return undefined;
    try {
      const cert = new X509Certificate(value);
      return this.validity(name, cert) ? cert : undefined;
    } catch {
      this.add(name, 'fail', 'is not a PEM certificate');
      return undefined;
    }
  }

  /** A platform public key or certificate, as WeChat Pay names it (PUB_KEY_ID_… or the certificate serial). */
  platformKey(serial: string, value: string): boolean {
    const name = `WECHATPAY_PLATFORM_KEYS ${serial}`;
    if (value.includes('BEGIN CERTIFICATE')) {
      try {
        const cert = new X509Certificate(value);
        if (cert.serialNumber.toUpperCase() !== serial.toUpperCase()) {
          this.add(name, 'fail', `is the certificate of serial ${cert.serialNumber}, not ${serial}`);
          return false;
        }
        return this.validity(name, cert);
      } catch {
        this.add(name, 'fail', 'is not a PEM certificate');
        return false;
      }
    }
    try {
      createPublicKey(value);
      this.add(
        name,
        'ok',
        serial.startsWith('PUB_KEY_ID_') ? 'WeChat Pay public key (no expiry)' : 'public key',
      );
      return true;
    } catch {
      this.add(name, 'fail', 'is neither a PEM public key nor a certificate');
      return false;
    }
  }

  private validity(name: string, cert: X509Certificate): boolean {
    const now = this.options.now.getTime();
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    if (now < from || now > to) {
      this.add(name, 'fail', `expired or not yet valid: valid ${cert.validFrom} to ${cert.validTo}`);
      return false;
    }
    const soon = to - now < WARN_BEFORE_EXPIRY_MS;
    this.add(
      name,
      soon ? 'warn' : 'ok',
      `valid until ${cert.validTo}${soon ? ': rotate it now (docs/deployment.md, Set up a hospital)' : ''}`,
    );
    return true;
  }
}

/** Asks Alipay about an order that does not exist: the signature and the answer's are what is checked. */
async function probeAlipay(
  add: (check: string, status: Finding['status'], detail: string) => void,
  a: NonNullable<Config['alipay']> & {
    appKey: KeyObject;
    alipayKey: string;
    readSecret: (ref: string) => Promise<string>;
  },
) {
  const appPrivateKey = a.appKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    const client = alipayClient(
      a.certificates
        ? {
            appId: a.appId,
            appPrivateKey,
            gateway: a.gateway,
            mode: 'certificate',
            appCert: await a.readSecret(a.certificates.appCertRef),
            alipayPublicCert: await a.readSecret(a.certificates.alipayPublicCertRef),
            alipayRootCert: await a.readSecret(a.certificates.alipayRootCertRef),
          }
        : {
            appId: a.appId,
            appPrivateKey,
            gateway: a.gateway,
            mode: 'public-key',
            alipayPublicKey: a.alipayKey,
          },
    );
    const r = await client.exec('alipay.trade.query', { out_trade_no: PROBE_ORDER });
    if (r.sub_code === 'ACQ.TRADE_NOT_EXIST' || alipayOk(r))
      add(
        'Alipay gateway',
        'ok',
        `accepts app ${a.appId}'s signature; its answer verifies with Alipay's key`,
      );
    else
      add(
        'Alipay gateway',
        'fail',
        `refused the probe: ${r.code} ${r.sub_code ?? ''} ${r.sub_msg ?? r.msg ?? ''}`.trim(),
      );
  } catch (error) {
    add('Alipay gateway', 'fail', (error as Error).message);
  }
}

/** Asks WeChat Pay about an order that does not exist: the merchant signature and the answer's are checked. */
async function probeWechatpay(
  add: (check: string, status: Finding['status'], detail: string) => void,
  w: NonNullable<Config['wechatpay']> & {
    merchantKey: KeyObject;
    platformKeys: Record<string, string>;
    apiV3Key: string;
  },
) {
  const api = wechatpayApi({
    mchId: w.mchId,
    appId: w.appId,
    merchantSerial: w.merchantSerial,
    merchantPrivateKey: w.merchantKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    apiV3Key: w.apiV3Key,
    platformKeys: w.platformKeys,
    baseURL: w.baseURL,
    notifyUrl: w.notifyUrl,
  });
  try {
    const r = await api('doctor', 'GET', `/v3/pay/transactions/out-trade-no/${PROBE_ORDER}?mchid=${w.mchId}`);
    if (!wechatFailed(r) || r.code === 'ORDER_NOT_EXIST')
      add(
        'WeChat Pay API',
        'ok',
        `accepts merchant ${w.mchId}'s key under serial ${w.merchantSerial}; its answer verifies with a platform key`,
      );
    else if (r.code === 'SIGN_ERROR')
      add(
        'WeChat Pay API',
        'fail',
        `SIGN_ERROR: the merchant private key is not the key of serial ${w.merchantSerial}`,
      );
    else
      add(
        'WeChat Pay API',
        'fail',
        `refused the probe: ${r.status} ${r.code ?? ''} ${r.message ?? ''}`.trim(),
      );
  } catch (error) {
    add('WeChat Pay API', 'fail', (error as Error).message);
  }
}
