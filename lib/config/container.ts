/** Composition root: builds every client, adapter and secret once per Lambda container and injects them. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../adapters/dynamodb/client';
import { dynamoIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import { dynamoLedgerStore } from '../adapters/dynamodb/ledger-store';
import { systemClock } from '../adapters/system/clock';
import { ulidIds } from '../adapters/system/ulid-ids';
import { hs256Verifier, jwksVerifier, type TokenVerifier } from '../http/auth';
import { createLogger, type Logger } from '../http/logger';
import type { Clock } from '../ports/clock';
import type { Metrics } from '../ports/metrics';
import { emfMetrics } from '../adapters/system/emf-metrics';
import type { IdGenerator } from '../ports/id-generator';
import type { IdempotencyStore } from '../ports/idempotency-store';
import type { LedgerStore } from '../ports/ledger-store';
import type { PaymentProvider } from '../ports/payment-provider';
import type { CreditProvider } from '../ports/credit-provider';
import type { InsuranceGateway } from '../ports/insurance-gateway';
import type { VisitPolicy } from '../usecases/visits/deps';
import type { CopyTariff } from '../domain/copy-request';
import { fen, type Fen } from '../domain/money';
import type { EventPublisher, OutboxStore } from '../ports/event-publisher';
import { dynamoOutboxStore } from '../adapters/dynamodb/outbox-store';
import { logPublisher } from '../adapters/system/log-publisher';
import { dispatchingPublisher } from '../adapters/system/dispatching-publisher';
import { dispatchEvent } from '../usecases/events/subscribers';
import type { Channel } from '../domain/ledger/accounts';
import { loadConfig, type Config } from './config';
import type { WechatpayConfig } from '../adapters/wechatpay/client';
import { resolveSecret } from './secrets';

/** Everything a handler may use, built once and passed in. */
export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly dynamo: DynamoDBDocumentClient;
  readonly ledger: LedgerStore;
  readonly idempotency: IdempotencyStore;
  readonly auth: TokenVerifier;
  readonly providers: Partial<Record<Channel, PaymentProvider>>;
  readonly payments: { readonly expiryMinutes: number };
  /** Credit authorisation per channel (pay-later visits). */
  readonly credit: Partial<Record<Channel, CreditProvider>>;
  readonly insurance?: InsuranceGateway;
  readonly visits: VisitPolicy;
  /** The copy tariff and the courier callback secret (copy requests). */
  readonly copies: { readonly tariff: CopyTariff; readonly courierSecret: () => Promise<string | undefined> };
  readonly outbox: OutboxStore;
  readonly publisher: EventPublisher;
}

/** Builds the configured payment and credit providers, resolving their keys from secret references. */
async function buildProviders(config: Config, clock: Clock) {
  const providers: Partial<Record<Channel, PaymentProvider>> = {};
  const credit: Partial<Record<Channel, CreditProvider>> = {};
  let wechatConfig: WechatpayConfig | undefined;
  const secret = (ref: string) => resolveSecret(ref, config.region);
  // Imported on first use: a cold start evaluates only the SDKs of the channels that are configured.
  if (config.alipay) {
    const [{ createAlipaySdk }, { alipayProvider }, { alipayCreditProvider }] = await Promise.all([
      import('../adapters/alipay/client'),
      import('../adapters/alipay/provider'),
      import('../adapters/alipay/credit'),
    ]);
    const a = config.alipay;
    const common = { appId: a.appId, appPrivateKey: await secret(a.appPrivateKeyRef), gateway: a.gateway };
    const sdk = createAlipaySdk(
      a.certificates
        ? {
            ...common,
            mode: 'certificate',
            appCert: await secret(a.certificates.appCertRef),
            alipayPublicCert: await secret(a.certificates.alipayPublicCertRef),
            alipayRootCert: await secret(a.certificates.alipayRootCertRef),
          }
        : { ...common, mode: 'public-key', alipayPublicKey: await secret(a.alipayPublicKeyRef) },
    );
    providers.alipay = alipayProvider(sdk, { appId: a.appId, sellerId: a.sellerId, notifyUrl: a.notifyUrl });
    credit.alipay = alipayCreditProvider(sdk, { sellerId: a.sellerId, notifyUrl: a.notifyUrl });
  }
  if (config.wechatpay) {
    const [{ wechatpayProvider }, { payScoreProvider }] = await Promise.all([
      import('../adapters/wechatpay/provider'),
      import('../adapters/wechatpay/payscore'),
    ]);
    const w = config.wechatpay;
    const platformKeys: Record<string, string> = {};
    for (const [serial, ref] of Object.entries(w.platformKeyRefs)) platformKeys[serial] = await secret(ref);
    const wechat = {
      mchId: w.mchId,
      appId: w.appId,
      merchantSerial: w.merchantSerial,
      merchantPrivateKey: await secret(w.merchantPrivateKeyRef),
      apiV3Key: await secret(w.apiV3KeyRef),
      platformKeys,
      baseURL: w.baseURL,
      notifyUrl: w.notifyUrl,
    };
    providers.wechatpay = wechatpayProvider(wechat, clock);
    if (w.payScoreServiceId)
      credit.wechatpay = payScoreProvider({ ...wechat, serviceId: w.payScoreServiceId }, clock);
    wechatConfig = wechat;
  }
  let insurance: InsuranceGateway | undefined;
  const ins = config.insurance;
  if (ins.gateway !== 'none') {
    const { bureauGateway } = await import('../adapters/insurance/bureau');
    const bureau = bureauGateway({ baseUrl: ins.bureauUrl, key: await secret(ins.bureauKeyRef) }, clock);
    insurance = bureau;
    if (ins.gateway === 'wechat-med-ins') {
      if (!wechatConfig)
        throw new Error('medpay configuration is invalid:\n  wechat-med-ins needs WeChat Pay');
      const { wechatMedInsGateway } = await import('../adapters/wechatpay/med-ins');
      insurance = wechatMedInsGateway(wechatConfig, ins.medIns, bureau, clock);
    }
  }
  return { providers, credit, insurance };
}

/** A secret reference resolved once, on first use (undefined when not configured). */
function lazySecret(ref: string | undefined, region: string): () => Promise<string | undefined> {
  let value: Promise<string | undefined> | undefined;
  return () => {
    value ??= ref ? resolveSecret(ref, region) : Promise.resolve(undefined);
    return value;
  };
}

/** Builds the dependencies for a config; tests pass overrides (a fixed clock, say) instead of mocking modules. */
export async function buildDeps(config: Config, overrides: Partial<AppDeps> = {}): Promise<AppDeps> {
  const clock = overrides.clock ?? systemClock;
  const dynamo =
    overrides.dynamo ?? createDocumentClient({ region: config.region, endpoint: config.dynamodbEndpoint });
  const auth =
    overrides.auth ??
    (config.auth.mode === 'hs256'
      ? hs256Verifier(await resolveSecret(config.auth.secretRef, config.region), config.auth)
      : jwksVerifier(config.auth.jwksUrl, config.auth));
  const logger = overrides.logger ?? createLogger(config.logLevel, config.stage);
  let publisher = overrides.publisher;
  if (!publisher && config.eventBusName) {
    const [{ EventBridgeClient }, { eventBridgePublisher }] = await Promise.all([
      import('@aws-sdk/client-eventbridge'),
      import('../adapters/eventbridge/publisher'),
    ]);
    publisher = eventBridgePublisher(new EventBridgeClient({ region: config.region }), config.eventBusName);
  }
  // Tests inject providers (against their own sandbox) instead of building them from config.
  const built = overrides.providers
    ? { providers: overrides.providers, credit: overrides.credit ?? {}, insurance: overrides.insurance }
    : await buildProviders(config, clock);
  // Locally (no event bus) the relay hands events to the in-process subscribers; they need these deps.
  const published = publisher ?? logPublisher((message, fields) => logger.info(message, fields));
  const outboundPublisher =
    publisher || config.eventBusName
      ? published
      : dispatchingPublisher(published, (event) => dispatchEvent(self, event));
  const self: AppDeps = {
    config,
    clock,
    outbox: overrides.outbox ?? dynamoOutboxStore(dynamo, config.tableName),
    publisher: outboundPublisher,
    providers: built.providers,
    credit: built.credit,
    insurance: built.insurance,
    visits: overrides.visits ?? { ...config.visits, creditLimitFen: fen(config.visits.creditLimitFen) },
    copies: overrides.copies ?? {
      tariff: {
        perPageFen: fen(config.copies.perPageFen),
        extraCopyBp: config.copies.extraCopyBp,
        courierFen: fen(config.copies.courierFen),
        courierFenByProvince: config.copies.courierFenByProvince as Record<string, Fen>,
        payWithinDays: config.copies.payWithinDays,
      },
      // Read on first use: only the delivery route needs it, every other cold start skips the lookup.
      courierSecret: lazySecret(config.copies.courierSecretRef, config.region),
    },
    payments: config.payments,
    dynamo,
    auth,
    logger,
    metrics: overrides.metrics ?? emfMetrics(config.stage),
    ids: overrides.ids ?? ulidIds(),
    ledger: overrides.ledger ?? dynamoLedgerStore(dynamo, config.tableName),
    idempotency:
      overrides.idempotency ??
      dynamoIdempotencyStore(dynamo, config.tableName, clock, {
        ttlSec: config.idempotency.ttlSec,
        retryAfterSec: 1,
      }),
  };
  return self;
}

let cached: Promise<AppDeps> | undefined;

/** The container's dependencies from process.env, built on first use; a failed build is retried next time. */
export function appDeps(): Promise<AppDeps> {
  cached ??= buildDeps(loadConfig(process.env)).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
