/** The environment, parsed once with zod into a typed Config. Nothing else reads process.env. */
import { z } from 'zod';

const secretRef = z
  .string()
  .regex(
    /^(file|ssm):.+$/,
    'must be a secret reference: "file:<path>" locally or "ssm:<parameter name>" on AWS',
  );

const schema = z
  .object({
    STAGE: z.string().min(1).default('local'),
    AWS_REGION: z.string().min(1).default('cn-north-1'),
    TABLE_NAME: z.string().min(3),
    DYNAMODB_ENDPOINT: z.url().optional(),
    AUTH_MODE: z.enum(['hs256', 'jwks']).default('hs256'),
    AUTH_HS256_SECRET: secretRef.optional(),
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: z.string().min(1).optional(),
    AUTH_AUDIENCE: z.string().min(1).optional(),
    IDEMPOTENCY_TTL_SEC: z.coerce.number().int().min(60).default(86_400),
    IDEMPOTENCY_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
    LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
    EVENT_BUS_NAME: z.string().min(1).max(256).optional(),
    PAYMENT_EXPIRY_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    ALIPAY_APP_ID: z
      .string()
      .regex(/^\d{16}$/)
      .optional(),
    ALIPAY_SELLER_ID: z
      .string()
      .regex(/^2088\d{12}$/)
      .optional(),
    ALIPAY_GATEWAY: z.url().optional(),
    ALIPAY_APP_PRIVATE_KEY: secretRef.optional(),
    ALIPAY_PUBLIC_KEY: secretRef.optional(),
    ALIPAY_NOTIFY_URL: z.url().optional(),
    ALIPAY_APP_CERT: secretRef.optional(),
    ALIPAY_PUBLIC_CERT: secretRef.optional(),
    ALIPAY_ROOT_CERT: secretRef.optional(),
    WECHATPAY_MCH_ID: z
      .string()
      .regex(/^\d{8,10}$/)
      .optional(),
    WECHATPAY_APP_ID: z
      .string()
      .regex(/^wx[0-9a-f]{16}$/)
      .optional(),
    WECHATPAY_BASE_URL: z.url().optional(),
    WECHATPAY_MERCHANT_SERIAL: z
      .string()
      .regex(/^[0-9A-Fa-f]{8,64}$/)
      .optional(),
    WECHATPAY_MERCHANT_PRIVATE_KEY: secretRef.optional(),
    WECHATPAY_APIV3_KEY: secretRef.optional(),
    WECHATPAY_PLATFORM_KEYS: z
      .string()
      .regex(
        /^[A-Za-z0-9_]+=(file|ssm):[^,]+(,[A-Za-z0-9_]+=(file|ssm):[^,]+)*$/,
        'must be serial=ref,serial=ref (certificate serials and PUB_KEY_ID_…)',
      )
      .optional(),
    WECHATPAY_NOTIFY_URL: z.url().optional(),
    /** Pay Score service id: enables WeChat Pay credit visits. */
    WECHATPAY_PAYSCORE_SERVICE_ID: z
      .string()
      .regex(/^\d{10,40}$/)
      .optional(),
    VISIT_CREDIT_LIMIT_FEN: z.coerce.number().int().min(100).max(10_000_000).default(200_000),
    VISIT_AUTHORISE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    VISIT_AUTO_SETTLE_AT: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm (Asia/Shanghai)')
      .default('20:00'),
    VISIT_CAPTURE_RETRY_MINUTES: z
      .string()
      .regex(/^\d+(,\d+)*$/, 'must be comma-separated minutes, e.g. 60,360,1440,4320')
      .default('60,360,1440,4320'),
    VISIT_RECHECK_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
    STATEMENTS_BUCKET: z.string().min(3).max(63).optional(),
    S3_ENDPOINT: z.url().optional(),
    COPY_PER_PAGE_FEN: z.coerce.number().int().min(1).max(10_000).default(50),
    COPY_EXTRA_COPY_BP: z.coerce.number().int().min(0).max(10_000).default(10_000),
    COPY_COURIER_FEN: z.coerce.number().int().min(0).max(100_000).default(1_500),
    COPY_COURIER_FEN_BY_PROVINCE: z
      .string()
      .regex(/^[^=,]+=\d+(,[^=,]+=\d+)*$/, 'must be province=fen,province=fen')
      .optional(),
    COPY_PAY_WITHIN_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    COURIER_CALLBACK_SECRET: secretRef.optional(),
    INSURANCE_GATEWAY: z.enum(['none', 'bureau', 'wechat-med-ins']).default('none'),
    INSURANCE_BUREAU_URL: z.url().optional(),
    INSURANCE_BUREAU_KEY: secretRef.optional(),
    MEDINS_CITY_ID: z.string().min(1).optional(),
    MEDINS_INST_NAME: z.string().min(1).optional(),
    MEDINS_INST_NO: z.string().min(1).optional(),
    MEDINS_SUB_MCH_ID: z.string().min(1).optional(),
    MEDINS_SUB_APP_ID: z.string().min(1).optional(),
    MEDINS_CALLBACK_URL: z.url().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.AUTH_MODE === 'hs256' && !env.AUTH_HS256_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_HS256_SECRET'], message: 'required when AUTH_MODE=hs256' });
    }
    if (env.AUTH_MODE === 'jwks' && !env.AUTH_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'required when AUTH_MODE=jwks' });
    }
    if (env.INSURANCE_GATEWAY !== 'none') {
      for (const name of ['INSURANCE_BUREAU_URL', 'INSURANCE_BUREAU_KEY'] as const)
        if (!env[name])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `required when INSURANCE_GATEWAY=${env.INSURANCE_GATEWAY}`,
          });
    }
    if (env.INSURANCE_GATEWAY === 'wechat-med-ins') {
      for (const name of [
        'MEDINS_CITY_ID',
        'MEDINS_INST_NAME',
        'MEDINS_INST_NO',
        'MEDINS_SUB_MCH_ID',
        'MEDINS_SUB_APP_ID',
        'MEDINS_CALLBACK_URL',
      ] as const)
        if (!env[name])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'required when INSURANCE_GATEWAY=wechat-med-ins',
          });
    }
  });

/** How tokens are verified: a shared HS256 secret (local, tests) or the identity provider's JWKS (RS256). */
export type AuthConfig =
  | {
      readonly mode: 'hs256';
      readonly secretRef: string;
      readonly issuer?: string;
      readonly audience?: string;
    }
  | { readonly mode: 'jwks'; readonly jwksUrl: string; readonly issuer?: string; readonly audience?: string };

/** medpay's typed configuration. */
export interface Config {
  readonly stage: string;
  readonly region: string;
  readonly tableName: string;
  readonly dynamodbEndpoint?: string;
  readonly auth: AuthConfig;
  readonly idempotency: { readonly ttlSec: number; readonly lockMs: number };
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  readonly payments: { readonly expiryMinutes: number };
  /** The EventBridge bus domain events go to; unset locally, where they are logged. */
  readonly eventBusName?: string;
  /** Set only when every variable of the channel is present. */
  readonly alipay?: {
    readonly appId: string;
    readonly sellerId: string;
    readonly gateway: string;
    readonly appPrivateKeyRef: string;
    readonly alipayPublicKeyRef: string;
    readonly notifyUrl: string;
    /** Certificate mode (public-key certificates), used instead of alipayPublicKeyRef when set. */
    readonly certificates?: {
      readonly appCertRef: string;
      readonly alipayPublicCertRef: string;
      readonly alipayRootCertRef: string;
    };
  };
  readonly wechatpay?: {
    readonly mchId: string;
    readonly appId: string;
    readonly baseURL: string;
    readonly merchantSerial: string;
    readonly merchantPrivateKeyRef: string;
    readonly apiV3KeyRef: string;
    /** serial (certificate serial or PUB_KEY_ID_…) → secret reference of its public key */
    readonly platformKeyRefs: Readonly<Record<string, string>>;
    readonly notifyUrl: string;
    /** Set when WeChat Pay Score credit visits are enabled. */
    readonly payScoreServiceId?: string;
  };
  /** Where statement files go (S3; s3rver locally at `endpoint`). */
  readonly statements: { readonly bucket: string; readonly endpoint?: string };
  /** The records office's copy tariff, and the courier callback's shared secret (a reference). */
  readonly copies: {
    readonly perPageFen: number;
    readonly extraCopyBp: number;
    readonly courierFen: number;
    readonly courierFenByProvince: Readonly<Record<string, number>>;
    readonly payWithinDays: number;
    readonly courierSecretRef?: string;
  };
  /** Pay-later policy (one deployment per hospital). */
  readonly visits: {
    readonly creditLimitFen: number;
    readonly authoriseWithinMinutes: number;
    readonly autoSettleAtMinute: number;
    readonly captureRetryDelaysMs: readonly number[];
    readonly recheckAfterMs: number;
  };
  /** Medical insurance: none, the bureau directly, or through WeChat medical insurance. */
  readonly insurance:
    | { readonly gateway: 'none' }
    | { readonly gateway: 'bureau'; readonly bureauUrl: string; readonly bureauKeyRef: string }
    | {
        readonly gateway: 'wechat-med-ins';
        readonly bureauUrl: string;
        readonly bureauKeyRef: string;
        readonly medIns: {
          readonly cityId: string;
          readonly medInstName: string;
          readonly medInstNo: string;
          readonly subMchId: string;
          readonly subAppId: string;
          readonly callbackUrl: string;
        };
      };
}

/**
 * A channel is enabled by its merchant id (the first value); then every other value is required.
 * Secret references have stage defaults in serverless.yml, so they alone never enable a channel.
 */
function group<T extends Record<string, string | undefined>>(
  name: string,
  values: T,
): { [K in keyof T]: string } | undefined {
  if (Object.values(values)[0] === undefined) return undefined;
  const missing = Object.entries(values).filter(([, v]) => v === undefined);
  if (missing.length > 0)
    throw new Error(
      `medpay configuration is invalid:\n  ${name} is partly configured; missing ${missing.map(([k]) => k).join(', ')}`,
    );
  return values as { [K in keyof T]: string };
}

/** Parses an environment into Config, listing every bad or missing variable in one error. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // serverless.yml renders unset parameters as empty strings: treat them as absent.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`medpay configuration is invalid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const common = { issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE };
  return {
    stage: e.STAGE,
    region: e.AWS_REGION,
    tableName: e.TABLE_NAME,
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    auth:
      e.AUTH_MODE === 'hs256'
        ? { mode: 'hs256', secretRef: e.AUTH_HS256_SECRET as string, ...common }
        : { mode: 'jwks', jwksUrl: e.AUTH_JWKS_URL as string, ...common },
    idempotency: { ttlSec: e.IDEMPOTENCY_TTL_SEC, lockMs: e.IDEMPOTENCY_LOCK_MS },
    logLevel: e.LOG_LEVEL,
    payments: { expiryMinutes: e.PAYMENT_EXPIRY_MINUTES },
    eventBusName: e.EVENT_BUS_NAME,
    alipay: (() => {
      const a = group('Alipay', {
        appId: e.ALIPAY_APP_ID,
        sellerId: e.ALIPAY_SELLER_ID,
        gateway: e.ALIPAY_GATEWAY,
        appPrivateKeyRef: e.ALIPAY_APP_PRIVATE_KEY,
        alipayPublicKeyRef: e.ALIPAY_PUBLIC_KEY,
        notifyUrl: e.ALIPAY_NOTIFY_URL,
      });
      const certificates = group('Alipay certificate mode', {
        alipayPublicCertRef: e.ALIPAY_PUBLIC_CERT,
        appCertRef: e.ALIPAY_APP_CERT,
        alipayRootCertRef: e.ALIPAY_ROOT_CERT,
      });
      return a && (certificates ? { ...a, certificates } : a);
    })(),
    wechatpay: (() => {
      const w = group('WeChat Pay', {
        mchId: e.WECHATPAY_MCH_ID,
        appId: e.WECHATPAY_APP_ID,
        baseURL: e.WECHATPAY_BASE_URL,
        merchantSerial: e.WECHATPAY_MERCHANT_SERIAL,
        merchantPrivateKeyRef: e.WECHATPAY_MERCHANT_PRIVATE_KEY,
        apiV3KeyRef: e.WECHATPAY_APIV3_KEY,
        platformKeys: e.WECHATPAY_PLATFORM_KEYS,
        notifyUrl: e.WECHATPAY_NOTIFY_URL,
      });
      if (!w) return undefined;
      const { platformKeys, ...rest } = w;
      const platformKeyRefs = Object.fromEntries(
        platformKeys
          .split(',')
          .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
      );
      return { ...rest, platformKeyRefs, payScoreServiceId: e.WECHATPAY_PAYSCORE_SERVICE_ID };
    })(),
    statements: { bucket: e.STATEMENTS_BUCKET ?? `medpay-${e.STAGE}-statements`, endpoint: e.S3_ENDPOINT },
    copies: {
      perPageFen: e.COPY_PER_PAGE_FEN,
      extraCopyBp: e.COPY_EXTRA_COPY_BP,
      courierFen: e.COPY_COURIER_FEN,
      courierFenByProvince: Object.fromEntries(
        (e.COPY_COURIER_FEN_BY_PROVINCE ?? '')
          .split(',')
          .filter(Boolean)
          .map((pair) => [
            pair.slice(0, pair.indexOf('=')).trim(),
            Number(pair.slice(pair.indexOf('=') + 1)),
          ]),
      ),
      payWithinDays: e.COPY_PAY_WITHIN_DAYS,
      courierSecretRef: e.COURIER_CALLBACK_SECRET,
    },
    visits: {
      creditLimitFen: e.VISIT_CREDIT_LIMIT_FEN,
      authoriseWithinMinutes: e.VISIT_AUTHORISE_MINUTES,
      autoSettleAtMinute:
        Number(e.VISIT_AUTO_SETTLE_AT.slice(0, 2)) * 60 + Number(e.VISIT_AUTO_SETTLE_AT.slice(3)),
      captureRetryDelaysMs: e.VISIT_CAPTURE_RETRY_MINUTES.split(',').map((m) => Number(m) * 60_000),
      recheckAfterMs: e.VISIT_RECHECK_MINUTES * 60_000,
    },
    insurance: (() => {
      if (e.INSURANCE_GATEWAY === 'none') return { gateway: 'none' as const };
      const bureau = {
        bureauUrl: e.INSURANCE_BUREAU_URL as string,
        bureauKeyRef: e.INSURANCE_BUREAU_KEY as string,
      };
      if (e.INSURANCE_GATEWAY === 'bureau') return { gateway: 'bureau' as const, ...bureau };
      return {
        gateway: 'wechat-med-ins' as const,
        ...bureau,
        medIns: {
          cityId: e.MEDINS_CITY_ID as string,
          medInstName: e.MEDINS_INST_NAME as string,
          medInstNo: e.MEDINS_INST_NO as string,
          subMchId: e.MEDINS_SUB_MCH_ID as string,
          subAppId: e.MEDINS_SUB_APP_ID as string,
          callbackUrl: e.MEDINS_CALLBACK_URL as string,
        },
      };
    })(),
  };
}
