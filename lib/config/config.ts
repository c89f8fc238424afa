/**
 * The environment, parsed once into a typed Config. Nothing else reads process.env. `Config` is the
 * schema's output type: the variables are declared once, and the transform below shapes them.
 */
import * as z from 'zod/mini';

/** A string of at least `min` (and at most `max`) characters. */
const text = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().check(z.minLength(min), z.maxLength(max));
/** A string matching `re`. */
const pattern = (re: RegExp, message?: string) => z.string().check(z.regex(re, message));
/** A whole number from the environment, `min` to `max`, with a default. */
const count = (min: number, max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max)), fallback);

const secretRef = pattern(
  /^(file|ssm):.+$/,
  'must be a secret reference: "file:<path>" locally or "ssm:<parameter name>" on AWS',
);

/** The variables medpay reads (serverless.yml sets them; scripts/start.ts locally). */
const Env = z.object({
  STAGE: z._default(text(1), 'local'),
  AWS_REGION: z._default(text(1), 'cn-north-1'),
  TABLE_NAME: text(3),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  AUTH_MODE: z._default(z.enum(['hs256', 'jwks']), 'hs256'),
  AUTH_HS256_SECRET: z.optional(secretRef),
  AUTH_JWKS_URL: z.optional(z.url()),
  AUTH_ISSUER: z.optional(text(1)),
  AUTH_AUDIENCE: z.optional(text(1)),
  /** The hospital of direct mode (the deployment's own merchant accounts) and of tokens without a hospital. */
  DEFAULT_HOSPITAL_ID: z._default(pattern(/^[a-z0-9][a-z0-9-]{1,31}$/, 'must be a hospital id'), 'default'),
  /** `true`: a token without the `hospital` claim is refused (set it once a second hospital is onboarded). */
  AUTH_REQUIRE_HOSPITAL: z._default(z.enum(['true', 'false']), 'false'),
  /** Where registered hospitals' own credentials are kept: `ssm:<path prefix>` on AWS, `file:<dir>` locally. */
  HOSPITAL_SECRETS: z.optional(secretRef),
  /**
   * How long a function believes a hospital's registration before reading it again: a suspension takes effect
   * within this time, and a hospital not seen for this long costs its next request one read.
   */
  HOSPITAL_CACHE_SECONDS: count(1, 3_600, 60),
  /** The daily check refreshes an Alipay app_auth_token this many days before Alipay says it lapses. */
  ALIPAY_APP_AUTH_REFRESH_DAYS: count(1, 365, 30),
  IDEMPOTENCY_TTL_SEC: count(60, Number.MAX_SAFE_INTEGER, 86_400),
  IDEMPOTENCY_LOCK_MS: count(1_000, Number.MAX_SAFE_INTEGER, 30_000),
  /** Set by Lambda when active tracing is on: where the X-Ray daemon listens (`host:port`). */
  AWS_XRAY_DAEMON_ADDRESS: z.optional(pattern(/^[^:]+:\d+$/)),
  LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
  EVENT_BUS_NAME: z.optional(text(1, 256)),
  PAYMENT_EXPIRY_MINUTES: count(1, 1440, 15),
  /** 付款码: how often an undecided code payment is queried, and when it is reversed (domain/payment-code.ts). */
  PAYMENT_CODE_POLL_SECONDS: count(1, 30, 5),
  PAYMENT_CODE_DEADLINE_SECONDS_WECHATPAY: count(2, 300, 45),
  PAYMENT_CODE_DEADLINE_SECONDS_ALIPAY: count(2, 300, 60),
  /** How long POST /payments itself waits for a code's outcome before answering 202 (under API Gateway's 30 s). */
  PAYMENT_CODE_WAIT_SECONDS: count(0, 25, 20),
  /** The function that follows an undecided code payment after the request (invoked asynchronously). */
  PAYMENT_CODE_FOLLOW_UP_FUNCTION: z.optional(text(1, 140)),
  /** The API's public base URL that payment links (mode h5) are made under; unset: no links. */
  PAY_LINK_BASE_URL: z.optional(z.url()),
  /** Where Lambda's Invoke API answers: unset on AWS (the region's endpoint), serverless-offline's locally. */
  LAMBDA_ENDPOINT: z.optional(z.url()),
  ALIPAY_APP_ID: z.optional(pattern(/^\d{16}$/)),
  ALIPAY_SELLER_ID: z.optional(pattern(/^2088\d{12}$/)),
  ALIPAY_GATEWAY: z.optional(z.url()),
  ALIPAY_APP_PRIVATE_KEY: z.optional(secretRef),
  ALIPAY_PUBLIC_KEY: z.optional(secretRef),
  ALIPAY_NOTIFY_URL: z.optional(z.url()),
  ALIPAY_APP_CERT: z.optional(secretRef),
  ALIPAY_PUBLIC_CERT: z.optional(secretRef),
  ALIPAY_ROOT_CERT: z.optional(secretRef),
  WECHATPAY_MCH_ID: z.optional(pattern(/^\d{8,10}$/)),
  WECHATPAY_APP_ID: z.optional(pattern(/^wx[0-9a-f]{16}$/)),
  WECHATPAY_BASE_URL: z.optional(z.url()),
  WECHATPAY_MERCHANT_SERIAL: z.optional(pattern(/^[0-9A-Fa-f]{8,64}$/)),
  WECHATPAY_MERCHANT_PRIVATE_KEY: z.optional(secretRef),
  WECHATPAY_APIV3_KEY: z.optional(secretRef),
  WECHATPAY_PLATFORM_KEYS: z.optional(
    pattern(
      /^[A-Za-z0-9_]+=(file|ssm):[^,]+(,[A-Za-z0-9_]+=(file|ssm):[^,]+)*$/,
      'must be serial=ref,serial=ref (certificate serials and PUB_KEY_ID_…)',
    ),
  ),
  WECHATPAY_NOTIFY_URL: z.optional(z.url()),
  /** Pay Score service id: enables WeChat Pay credit visits. */
  WECHATPAY_PAYSCORE_SERVICE_ID: z.optional(pattern(/^\d{10,40}$/)),
  VISIT_CREDIT_LIMIT_FEN: count(100, 10_000_000, 200_000),
  /** Inpatients: the most an admission holds in deposits (the HIS may name a lower cap per admission). */
  ADMISSION_DEPOSIT_CAP_FEN: count(100, 10_000_000_000, 5_000_000),
  /** Refunds waiting on the hospital's finance (an ABNORMAL refund) are promised within this many hours. */
  REFUND_FINANCE_MINUTES: count(1, 43_200, 1_440),
  /** Bank holidays (yyyy-mm-dd, comma-separated, Asia/Shanghai) working-day promises skip besides weekends. */
  BANK_HOLIDAYS: z._default(pattern(/^(\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2})*)?$/, 'yyyy-mm-dd,…'), ''),
  /** Inpatients: under this balance the ward is told to ask for a top-up (AdmissionLowBalance). */
  ADMISSION_LOW_BALANCE_FEN: count(0, 10_000_000_000, 100_000),
  VISIT_AUTHORISE_MINUTES: count(1, 1440, 30),
  VISIT_AUTO_SETTLE_AT: z._default(
    pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm (Asia/Shanghai)'),
    '20:00',
  ),
  VISIT_CAPTURE_RETRY_MINUTES: z._default(
    pattern(/^\d+(,\d+)*$/, 'must be comma-separated minutes, e.g. 60,360,1440,4320'),
    '60,360,1440,4320',
  ),
  VISIT_RECHECK_MINUTES: count(1, 1440, 5),
  STATEMENTS_BUCKET: z.optional(text(3, 63)),
  S3_ENDPOINT: z.optional(z.url()),
  COPY_PER_PAGE_FEN: count(1, 10_000, 50),
  COPY_EXTRA_COPY_BP: count(0, 10_000, 10_000),
  COPY_COURIER_FEN: count(0, 100_000, 1_500),
  COPY_COURIER_FEN_BY_PROVINCE: z.optional(
    pattern(/^[^=,]+=\d+(,[^=,]+=\d+)*$/, 'must be province=fen,province=fen'),
  ),
  COPY_PAY_WITHIN_DAYS: count(1, 90, 7),
  COURIER_CALLBACK_SECRET: z.optional(secretRef),
  /** Callbacks to the hospital's systems: the key each endpoint's secret is derived from (32+ characters). */
  CALLBACK_SIGNING_KEY: z.optional(secretRef),
  CALLBACK_RETRY_BASE_SECONDS: count(1, 3_600, 30),
  CALLBACK_RETRY_HOURS: count(1, 72, 24),
  /** Local stacks only: accept http:// endpoints (a deployed stage refuses this). */
  CALLBACK_ALLOW_HTTP: z._default(z.enum(['true', 'false']), 'false'),
  MEDINS_INST_NAME: z.optional(text(1)),
  MEDINS_INST_NO: z.optional(text(1)),
  MEDINS_CALLBACK_URL: z.optional(z.url()),
  /** The national insurance platform (医保移动支付中心): enables insured payments of charges. */
  /** The fiscal e-receipt platform (docs/receipts.md): unset, no receipts are issued. */
  ERECEIPT_URL: z.optional(z.url()),
  ERECEIPT_APP_ID: z.optional(text(1, 64)),
  ERECEIPT_KEY: z.optional(secretRef),
  ERECEIPT_PLACE_CODE: z.optional(text(1, 50)),
  /** 收款单位 printed on the receipts. */
  ERECEIPT_PAYEE: z._default(text(1, 100), '医院'),
  INSURANCE_PLATFORM_URL: z.optional(z.url()),
  INSURANCE_PLATFORM_APP_ID: z.optional(text(1, 64)),
  /** JSON {appSecret, sm4KeyHex, privateKeyHex, platformPublicKeyHex}: what the province issued and exchanged. */
  INSURANCE_PLATFORM_KEYS: z.optional(secretRef),
  INSURANCE_ORG_CODE: z.optional(text(1, 64)),
  INSURANCE_ORG_ID: z.optional(text(1, 64)),
  /** The province's envelope rules (docs/insurance.md: the defaults are assumptions). */
  INSURANCE_SECRET_SEPARATOR: z._default(z.enum(['none', '&key=']), 'none'),
  INSURANCE_ENVELOPE_VERSION: z._default(text(1, 16), '2.0.1'),
  INSURANCE_SM2_USER_ID: z._default(text(1, 64), '1234567812345678'),
  INSURANCE_PLATFORM_PATHS: z.optional(pattern(/^\d{4}=\/[^,]*(,\d{4}=\/[^,]*)*$/, 'must be 6201=/path,…')),
  INSURANCE_ORDER_STATUSES: z.optional(
    pattern(/^[^=,]+=[A-Z]+(,[^=,]+=[A-Z]+)*$/, 'must be ordStas=STATUS,…'),
  ),
  INSURANCE_REFUND_STATUSES: z.optional(
    pattern(/^[^=,]+=[A-Z]+(,[^=,]+=[A-Z]+)*$/, 'must be tradeStatus=STATUS,…'),
  ),
  INSURANCE_MEDICAL_TYPE: z._default(text(1, 8), '11'),
  /** WeChat: the platform key payer fields are encrypted with (default: the first PUB_KEY_ID_… key). */
  MEDINS_ENCRYPTION_SERIAL: z.optional(text(1, 64)),
  /** WeChat: the authCode → payAuthNo exchange (Tencent's is not published; docs/insurance.md). */
  MEDINS_AUTH_URL: z.optional(z.url()),
  /** Alipay: 机构渠道认证编码, the hospital's app at the platform, where a patient returns after confirming. */
  ALIPAY_MEDICAL_ORG_CHANNEL_CODE: z.optional(text(1, 64)),
  ALIPAY_MEDICAL_ORG_APP_ID: z.optional(text(1, 64)),
  ALIPAY_MEDICAL_CALL_URL: z.optional(z.url()),
  /** Alipay: what trade_status / refund_status values mean (not published; docs/insurance.md). */
  ALIPAY_MEDICAL_TRADE_STATUSES: z.optional(
    pattern(/^[^=,]+=[A-Z_]+(,[^=,]+=[A-Z_]+)*$/, 'must be status=MEANING,…'),
  ),
  ALIPAY_MEDICAL_REFUND_STATUSES: z.optional(
    pattern(/^[^=,]+=[A-Z_]+(,[^=,]+=[A-Z_]+)*$/, 'must be status=MEANING,…'),
  ),
});
type Env = z.output<typeof Env>;

/**
 * A channel is enabled by its first variable (the merchant id); then every other one is required. Secret
 * references have stage defaults in serverless.yml, so they alone never enable a channel.
 */
const CHANNEL_GROUPS = {
  Alipay: [
    'ALIPAY_APP_ID',
    'ALIPAY_SELLER_ID',
    'ALIPAY_GATEWAY',
    'ALIPAY_APP_PRIVATE_KEY',
    'ALIPAY_PUBLIC_KEY',
    'ALIPAY_NOTIFY_URL',
  ],
  'Alipay certificate mode': ['ALIPAY_PUBLIC_CERT', 'ALIPAY_APP_CERT', 'ALIPAY_ROOT_CERT'],
  'WeChat Pay': [
    'WECHATPAY_MCH_ID',
    'WECHATPAY_APP_ID',
    'WECHATPAY_BASE_URL',
    'WECHATPAY_MERCHANT_SERIAL',
    'WECHATPAY_MERCHANT_PRIVATE_KEY',
    'WECHATPAY_APIV3_KEY',
    'WECHATPAY_PLATFORM_KEYS',
    'WECHATPAY_NOTIFY_URL',
  ],
  'the fiscal e-receipt platform': ['ERECEIPT_URL', 'ERECEIPT_APP_ID', 'ERECEIPT_KEY', 'ERECEIPT_PLACE_CODE'],
  'the insurance platform': [
    'INSURANCE_PLATFORM_URL',
    'INSURANCE_PLATFORM_APP_ID',
    'INSURANCE_PLATFORM_KEYS',
    'INSURANCE_ORG_CODE',
    'INSURANCE_ORG_ID',
  ],
} as const satisfies Record<string, readonly (keyof Env)[]>;

/** Cross-variable rules: what the auth mode, the insurance gateway and a configured channel require. */
function requireTogether(env: Env, issues: z.core.$ZodRawIssue[]) {
  const need = (name: keyof Env, why: string) => {
    if (!env[name])
      issues.push({ code: 'custom', path: [name], message: `required when ${why}`, input: env });
  };
  if (env.AUTH_MODE === 'hs256') need('AUTH_HS256_SECRET', 'AUTH_MODE=hs256');
  if (env.AUTH_MODE === 'jwks') need('AUTH_JWKS_URL', 'AUTH_MODE=jwks');
  for (const [channel, [first, ...rest]] of Object.entries(CHANNEL_GROUPS))
    if (env[first]) for (const name of rest) need(name, `${first} is set (${channel} is partly configured)`);
}

/** The values of a channel, when all are present (requireTogether has reported a partial one). */
function group<T extends Record<string, string | undefined>>(
  values: T,
): { [K in keyof T]: string } | undefined {
  return Object.values(values).every((v) => v !== undefined)
    ? (values as { [K in keyof T]: string })
    : undefined;
}

/** `name=value,name=value` as a record. */
const pairs = (list: string | undefined) =>
  Object.fromEntries(
    (list ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1)] as const),
  );

/** The environment → medpay's configuration. */
const ConfigSchema = z.pipe(
  Env.check((ctx) => requireTogether(ctx.value, ctx.issues)),
  z.transform((e: Env) => {
    const auth = { issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE };
    const alipay = group({
      appId: e.ALIPAY_APP_ID,
      sellerId: e.ALIPAY_SELLER_ID,
      gateway: e.ALIPAY_GATEWAY,
      appPrivateKeyRef: e.ALIPAY_APP_PRIVATE_KEY,
      alipayPublicKeyRef: e.ALIPAY_PUBLIC_KEY,
      notifyUrl: e.ALIPAY_NOTIFY_URL,
    });
    /** Certificate mode (public-key certificates), used instead of alipayPublicKeyRef when set. */
    const certificates = group({
      alipayPublicCertRef: e.ALIPAY_PUBLIC_CERT,
      appCertRef: e.ALIPAY_APP_CERT,
      alipayRootCertRef: e.ALIPAY_ROOT_CERT,
    });
    const wechat = group({
      mchId: e.WECHATPAY_MCH_ID,
      appId: e.WECHATPAY_APP_ID,
      baseURL: e.WECHATPAY_BASE_URL,
      merchantSerial: e.WECHATPAY_MERCHANT_SERIAL,
      merchantPrivateKeyRef: e.WECHATPAY_MERCHANT_PRIVATE_KEY,
      apiV3KeyRef: e.WECHATPAY_APIV3_KEY,
      platformKeys: e.WECHATPAY_PLATFORM_KEYS,
      notifyUrl: e.WECHATPAY_NOTIFY_URL,
    });
    return {
      stage: e.STAGE,
      region: e.AWS_REGION,
      tableName: e.TABLE_NAME,
      dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
      /** How tokens are verified: a shared HS256 secret (local, tests) or the identity provider's JWKS. */
      auth:
        e.AUTH_MODE === 'hs256'
          ? { mode: 'hs256' as const, secretRef: e.AUTH_HS256_SECRET ?? '', ...auth }
          : { mode: 'jwks' as const, jwksUrl: e.AUTH_JWKS_URL ?? '', ...auth },
      /** The direct-mode hospital, and whether tokens must name their hospital. */
      hospitals: {
        defaultId: e.DEFAULT_HOSPITAL_ID,
        requireClaim: e.AUTH_REQUIRE_HOSPITAL === 'true',
        secretsRef: e.HOSPITAL_SECRETS ?? `ssm:/medpay/${e.STAGE}/hospitals`,
        refreshAppAuthBeforeSec: e.ALIPAY_APP_AUTH_REFRESH_DAYS * 86_400,
        cacheMs: e.HOSPITAL_CACHE_SECONDS * 1000,
      },
      idempotency: { ttlSec: e.IDEMPOTENCY_TTL_SEC, lockMs: e.IDEMPOTENCY_LOCK_MS },
      logLevel: e.LOG_LEVEL,
      /** X-Ray subsegments go to this daemon (unset outside Lambda: nothing is traced). */
      xrayDaemonAddress: e.AWS_XRAY_DAEMON_ADDRESS,
      payments: {
        expiryMinutes: e.PAYMENT_EXPIRY_MINUTES,
        paymentCode: {
          pollMs: e.PAYMENT_CODE_POLL_SECONDS * 1000,
          deadlineMs: {
            wechatpay: e.PAYMENT_CODE_DEADLINE_SECONDS_WECHATPAY * 1000,
            alipay: e.PAYMENT_CODE_DEADLINE_SECONDS_ALIPAY * 1000,
          },
          waitMs: e.PAYMENT_CODE_WAIT_SECONDS * 1000,
        },
      },
      /** Payment links (mode h5) are `<this>/pay/<hospitalId>/<token>`. */
      payLinkBaseUrl: e.PAY_LINK_BASE_URL,
      /** The asynchronous follow-up of payment codes (Lambda Invoke, InvocationType Event). */
      followUp: e.PAYMENT_CODE_FOLLOW_UP_FUNCTION
        ? { functionName: e.PAYMENT_CODE_FOLLOW_UP_FUNCTION, endpoint: e.LAMBDA_ENDPOINT }
        : undefined,
      /** The EventBridge bus domain events go to; unset locally, where they are logged. */
      eventBusName: e.EVENT_BUS_NAME,
      /** Set only when every variable of the channel is present. */
      alipay: alipay && { ...alipay, certificates },
      wechatpay: wechat && {
        mchId: wechat.mchId,
        appId: wechat.appId,
        baseURL: wechat.baseURL,
        merchantSerial: wechat.merchantSerial,
        merchantPrivateKeyRef: wechat.merchantPrivateKeyRef,
        apiV3KeyRef: wechat.apiV3KeyRef,
        notifyUrl: wechat.notifyUrl,
        /** serial (certificate serial or PUB_KEY_ID_…) → secret reference of its public key */
        platformKeyRefs: pairs(wechat.platformKeys),
        /** Set when WeChat Pay Score credit visits are enabled. */
        payScoreServiceId: e.WECHATPAY_PAYSCORE_SERVICE_ID,
      },
      /** Where statement files go (S3; s3rver locally at `endpoint`). */
      statements: { bucket: e.STATEMENTS_BUCKET ?? `medpay-${e.STAGE}-statements`, endpoint: e.S3_ENDPOINT },
      /** The records office's copy tariff, and the courier callback's shared secret (a reference). */
      copies: {
        perPageFen: e.COPY_PER_PAGE_FEN,
        extraCopyBp: e.COPY_EXTRA_COPY_BP,
        courierFen: e.COPY_COURIER_FEN,
        courierFenByProvince: Object.fromEntries(
          Object.entries(pairs(e.COPY_COURIER_FEN_BY_PROVINCE)).map(([k, v]) => [k, Number(v)]),
        ),
        payWithinDays: e.COPY_PAY_WITHIN_DAYS,
        courierSecretRef: e.COURIER_CALLBACK_SECRET,
      },
      /** Signed callbacks to the hospital's systems (HIS). */
      callbacks: {
        signingKeyRef: e.CALLBACK_SIGNING_KEY,
        retryBaseMs: e.CALLBACK_RETRY_BASE_SECONDS * 1000,
        retryForMs: e.CALLBACK_RETRY_HOURS * 3_600_000,
        allowHttp: e.CALLBACK_ALLOW_HTTP === 'true',
      },
      /** Pay-later policy (one deployment per hospital). */
      visits: {
        creditLimitFen: e.VISIT_CREDIT_LIMIT_FEN,
        authoriseWithinMinutes: e.VISIT_AUTHORISE_MINUTES,
        autoSettleAtMinute:
          Number(e.VISIT_AUTO_SETTLE_AT.slice(0, 2)) * 60 + Number(e.VISIT_AUTO_SETTLE_AT.slice(3)),
        captureRetryDelaysMs: e.VISIT_CAPTURE_RETRY_MINUTES.split(',').map((m) => Number(m) * 60_000),
        recheckAfterMs: e.VISIT_RECHECK_MINUTES * 60_000,
      },
      /** Inpatient deposits (国卫办财务发〔2025〕5号 caps them: the hospital sets its cap). */
      admissions: {
        depositCapFen: e.ADMISSION_DEPOSIT_CAP_FEN,
        lowBalanceFen: e.ADMISSION_LOW_BALANCE_FEN,
      },
      /** Refund progress: the finance promise and the bank holidays (domain/refund-progress.ts). */
      refunds: {
        financeMinutes: e.REFUND_FINANCE_MINUTES,
        holidays: e.BANK_HOLIDAYS === '' ? [] : e.BANK_HOLIDAYS.split(','),
      },
      /** The national insurance platform for insured payments and visits' insurance; per wallet what it needs. */
      /** The fiscal e-receipt platform, when configured (lib/adapters/ereceipt/bosssoft.ts). */
      receipts: e.ERECEIPT_URL
        ? {
            baseUrl: e.ERECEIPT_URL,
            appId: e.ERECEIPT_APP_ID ?? '',
            keyRef: e.ERECEIPT_KEY ?? '',
            placeCode: e.ERECEIPT_PLACE_CODE ?? '',
            payee: e.ERECEIPT_PAYEE,
          }
        : undefined,
      insurancePlatform: e.INSURANCE_PLATFORM_URL
        ? {
            baseUrl: e.INSURANCE_PLATFORM_URL,
            appId: e.INSURANCE_PLATFORM_APP_ID ?? '',
            keysRef: e.INSURANCE_PLATFORM_KEYS ?? '',
            orgCode: e.INSURANCE_ORG_CODE ?? '',
            orgId: e.INSURANCE_ORG_ID ?? '',
            secretSeparator: e.INSURANCE_SECRET_SEPARATOR === 'none' ? '' : e.INSURANCE_SECRET_SEPARATOR,
            version: e.INSURANCE_ENVELOPE_VERSION,
            userId: e.INSURANCE_SM2_USER_ID,
            paths: pairs(e.INSURANCE_PLATFORM_PATHS),
            orderStatuses: pairs(e.INSURANCE_ORDER_STATUSES),
            refundStatuses: pairs(e.INSURANCE_REFUND_STATUSES),
            medicalType: e.INSURANCE_MEDICAL_TYPE,
            wechat:
              e.MEDINS_INST_NAME && e.MEDINS_INST_NO && e.MEDINS_CALLBACK_URL && e.MEDINS_AUTH_URL
                ? {
                    medInstName: e.MEDINS_INST_NAME,
                    medInstNo: e.MEDINS_INST_NO,
                    callbackUrl: e.MEDINS_CALLBACK_URL,
                    authUrl: e.MEDINS_AUTH_URL,
                    encryptionSerial: e.MEDINS_ENCRYPTION_SERIAL,
                  }
                : undefined,
            alipay:
              e.ALIPAY_MEDICAL_ORG_CHANNEL_CODE && e.ALIPAY_MEDICAL_ORG_APP_ID && e.ALIPAY_MEDICAL_CALL_URL
                ? {
                    orgChannelCode: e.ALIPAY_MEDICAL_ORG_CHANNEL_CODE,
                    orgAppId: e.ALIPAY_MEDICAL_ORG_APP_ID,
                    callUrl: e.ALIPAY_MEDICAL_CALL_URL,
                    tradeStatuses: pairs(e.ALIPAY_MEDICAL_TRADE_STATUSES),
                    refundStatuses: pairs(e.ALIPAY_MEDICAL_REFUND_STATUSES),
                  }
                : undefined,
          }
        : undefined,
    };
  }),
);

/** medpay's typed configuration: what the schema produces. */
export type Config = Readonly<z.output<typeof ConfigSchema>>;

/** One bad or missing variable: `variable` is the environment variable ('' when the rule spans several). */
export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

/** Parses an environment into Config, or lists every bad or missing variable. */
export function parseConfig(
  env: Record<string, string | undefined>,
): { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] } {
  // serverless.yml renders unset parameters as empty strings: treat them as absent.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ variable: i.path.join('.'), message: i.message })),
  };
}

/** Parses an environment into Config, listing every bad or missing variable in one error. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    const lines = parsed.issues.map((i) => `  ${i.variable ? `${i.variable}: ` : ''}${i.message}`);
    throw new Error(`medpay configuration is invalid:\n${lines.join('\n')}`);
  }
  return parsed.config;
}

/** The webhook path each channel's notify URL must end at (API.md). */
export const WEBHOOK_PATHS = { alipay: '/webhooks/alipay', wechatpay: '/webhooks/wechatpay' } as const;

/**
 * What a deployed stage needs beyond a parseable environment: a payment channel, and https everywhere a
 * provider or the identity provider is reached or calls back (the notify URLs at the webhook paths). Read
 * from the environment itself, so these are reported together with the schema's issues.
 */
export function deployedStageIssues(env: Record<string, string | undefined>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!env.ALIPAY_APP_ID && !env.WECHATPAY_MCH_ID)
    issues.push({
      variable: '',
      message:
        'no payment channel is configured: set ALIPAY_APP_ID and the Alipay values, or WECHATPAY_MCH_ID and the WeChat Pay values',
    });
  const https = (variable: string, path?: string) => {
    const url = env[variable];
    if (!url || !URL.canParse(url)) return; // absent or malformed: the schema reports it
    if (!url.startsWith('https://')) issues.push({ variable, message: `must be an https URL (got ${url})` });
    else if (path && !new URL(url).pathname.endsWith(path))
      issues.push({ variable, message: `must end at the webhook path ${path} (got ${url})` });
  };
  https('ALIPAY_NOTIFY_URL', WEBHOOK_PATHS.alipay);
  https('ALIPAY_GATEWAY');
  https('WECHATPAY_NOTIFY_URL', WEBHOOK_PATHS.wechatpay);
  https('WECHATPAY_BASE_URL');
  https('AUTH_JWKS_URL');
  if (env.CALLBACK_ALLOW_HTTP === 'true')
    issues.push({
      variable: 'CALLBACK_ALLOW_HTTP',
      message: 'a deployed stage sends callbacks over https only',
    });
  return issues;
}
