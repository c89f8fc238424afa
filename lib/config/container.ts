/** Composition root: builds every client, adapter and secret once per Lambda container and injects them. */
import type { ReceiptIssuer } from '../ports/receipt-issuer';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../adapters/dynamodb/client';
import { dynamoIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import { dynamoLedgerStore } from '../adapters/dynamodb/ledger-store';
import { hospitalKeys } from '../adapters/dynamodb/keys';
import { dynamoHospitalRegistry } from '../adapters/dynamodb/hospital-registry';
import type { HospitalRegistry, InHospital } from '../ports/hospitals';
import type { Hospital } from '../domain/hospital';
import { ForbiddenError } from '../domain/errors';
import { systemClock } from '../adapters/system/clock';
import { ulidIds } from '../adapters/system/ulid-ids';
import { hs256Verifier, jwksVerifier, lazyVerifier, type TokenVerifier } from '../http/auth';
import { createLogger } from '../adapters/system/logger';
import type { Logger } from '../ports/logger';
import type { PaymentCodeFollowUp } from '../ports/payment-code-follow-up';
import type { Clock } from '../ports/clock';
import type { Metrics } from '../ports/metrics';
import { emfMetrics } from '../adapters/system/emf-metrics';
import { traceDynamo, traceFetch, xrayRecorder } from '../adapters/system/xray';
import type { IdGenerator } from '../ports/id-generator';
import type { IdempotencyStore } from '../ports/idempotency-store';
import type { LedgerStore } from '../ports/ledger-store';
import type { NotificationVerifier, PaymentProvider } from '../ports/payment-provider';
import type { CreditProvider } from '../ports/credit-provider';
import type { BillSource } from '../ports/bill-source';
import type { VisitInsuranceParts, VisitPolicy } from '../usecases/visits/deps';
import type { AdmissionPolicy } from '../domain/admission';
import type { InsuredParts, PaymentPolicy } from '../usecases/payments/deps';
import type { CopyTariff } from '../domain/copy-request';
import { fen, type Fen } from '../domain/money';
import type { EventPublisher, OutboxStore } from '../ports/event-publisher';
import { dynamoOutboxStore } from '../adapters/dynamodb/outbox-store';
import { logPublisher } from '../adapters/system/log-publisher';
import type { Channel } from '../domain/ledger/accounts';
import { loadConfig, type Config } from './config';
import type { CallbackPolicy } from '../usecases/callbacks/records';
import { hmacCallbackSigner } from '../adapters/callbacks/signing';
import { httpCallbackSender } from '../adapters/callbacks/http-sender';
import { SECRET_TTL_MS, awsCredentials, resolveSecret } from './secrets';
import type { HospitalSecrets } from '../ports/hospital-secrets';
import { fileHospitalSecrets } from '../adapters/system/file-hospital-secrets';
import { ssmHospitalSecrets } from '../adapters/aws/ssm-hospital-secrets';

/** What every function has: storage, ids, the clock, logging and metrics, its policy, the outbox. */
export interface CoreDeps {
  readonly config: Config;
  /** The hospital the stores below read and write (the default hospital until a caller names another). */
  readonly hospitalId: string;
  /** The platform's registry of hospitals (the default hospital is always there, registered or not). */
  readonly hospitals: HospitalRegistry;
  /**
   * A registered hospital's channel parts (its providers in partner mode), built by the function's own
   * parts from the platform's accounts; absent where the function calls no provider.
   */
  readonly partner?: (hospital: Hospital, secrets: HospitalSecrets) => Promise<object> | object;
  /** Registered hospitals' own credentials (an Alipay app_auth_token), under each hospital. */
  readonly hospitalSecrets: HospitalSecrets;
  /**
   * `deps` with the stores of another hospital (`deps` itself for its own hospital), and the channels it
   * takes payments on in partner mode (`partner`); a ForbiddenError for a hospital that is not registered,
   * or, acting for a caller (`forCaller`), that is suspended. A suspended hospital's notifications and jobs
   * still run: money already moving is still accounted for.
   */
  readonly inHospital: InHospital;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly dynamo: DynamoDBDocumentClient;
  readonly ledger: LedgerStore;
  readonly idempotency: IdempotencyStore;
  readonly auth: TokenVerifier;
  readonly payments: PaymentPolicy;
  readonly visits: VisitPolicy;
  /** Inpatient deposits: the default cap and low-balance threshold. */
  readonly admissions: AdmissionPolicy;
  /** The copy tariff and the courier callback secret (copy requests). */
  readonly copies: { readonly tariff: CopyTariff; readonly courierSecret: () => Promise<string | undefined> };
  readonly outbox: OutboxStore;
  readonly publisher: EventPublisher;
  /** Signed callbacks to the hospital's systems: the signer (key read on first use), sender and policy. */
  readonly callbacks: CallbackPolicy;
}

/** The payment providers of the configured channels (lib/config/providers.ts builds them). */
export interface PaymentParts {
  readonly providers: Partial<Record<Channel, PaymentProvider>>;
  /** Insured payments of charges, where the national platform is configured (lib/config/insurance.ts). */
  readonly insured?: InsuredParts;
  /** Carries a payment code's payment on after the request (the API's functions; the sweep is its backstop). */
  readonly followUp?: PaymentCodeFollowUp;
  /** The fiscal e-receipt platform (the deployment's own hospital; lib/config/providers.ts). */
  readonly receipts?: ReceiptIssuer;
}

/** The notification verifiers per channel (lib/config/webhooks.ts: the webhooks'). */
export interface VerifierParts {
  readonly verifiers: Partial<Record<Channel, NotificationVerifier>>;
}

/** Credit authorisation per channel and the insurance platform (lib/config/credit.ts, insured-credit.ts: visits). */
export interface CreditParts {
  readonly credit: Partial<Record<Channel, CreditProvider>>;
  readonly insurance?: VisitInsuranceParts;
}

/** The providers' daily bills (lib/config/bills.ts: reconciliation). */
export interface BillParts {
  readonly bills: Partial<Record<Channel, BillSource>>;
}

/** Every part at once: what the tests and the bench build (a function has the core and its own parts only). */
export type AppDeps = CoreDeps & PaymentParts & VerifierParts & CreditParts & BillParts;

/** The stores of one hospital: its ledger and repositories, its outbox, its idempotency records. */
function hospitalStores(dynamo: DynamoDBDocumentClient, config: Config, clock: Clock, hospitalId: string) {
  const keys = hospitalKeys(hospitalId);
  return {
    ledger: dynamoLedgerStore(dynamo, config.tableName, keys),
    outbox: dynamoOutboxStore(dynamo, config.tableName, keys),
    idempotency: dynamoIdempotencyStore(
      dynamo,
      config.tableName,
      clock,
      { ttlSec: config.idempotency.ttlSec, retryAfterSec: 1 },
      keys,
    ),
  };
}

/** The hospitals' secret store the configuration names: SSM under a path, or files in a directory. */
function hospitalSecretsOf(config: Config): HospitalSecrets {
  const ref = config.hospitals.secretsRef;
  if (ref.startsWith('file:')) return fileHospitalSecrets(ref.slice('file:'.length));
  return ssmHospitalSecrets(ref.slice('ssm:'.length), {
    region: config.region,
    endpoint: process.env.AWS_ENDPOINT_URL_SSM,
    credentials: awsCredentials,
  });
}

/**
 * A hospital's registration (undefined for the default hospital), or a ForbiddenError for one that is not
 * registered. Registrations are cached per container for `cacheMs` (HOSPITAL_CACHE_SECONDS), so a request
 * costs no extra read while its hospital was seen within it.
 */
function registeredHospitals(registry: HospitalRegistry, clock: Clock, defaultId: string, cacheMs: number) {
  const seen = new Map<string, { hospital?: Hospital; at: number }>();
  return async (hospitalId: string): Promise<Hospital | undefined> => {
    if (hospitalId === defaultId) return undefined;
    const now = clock.now().getTime();
    let entry = seen.get(hospitalId);
    if (!entry || now - entry.at > cacheMs) {
      entry = { hospital: (await registry.get(hospitalId))?.value, at: now };
      seen.set(hospitalId, entry);
    }
    if (!entry.hospital)
      throw new ForbiddenError('The token names a hospital that is not registered here.', { hospitalId });
    return entry.hospital;
  };
}

/** A registered hospital's channels before its partner parts: none of the deployment's direct-mode ones. */
const NO_CHANNELS = {
  providers: {},
  verifiers: {},
  credit: {},
  bills: {},
  insured: undefined,
  insurance: undefined,
  // The e-receipt platform account is the deployment's own hospital's: another hospital's is not wired yet.
  receipts: undefined,
};

/** `secrets` whose reads are kept: each hospital's secret is read once through it. */
function readOnce(secrets: HospitalSecrets): HospitalSecrets {
  const read = new Map<string, Promise<string | undefined>>();
  return {
    put: (hospitalId, name, value) => secrets.put(hospitalId, name, value),
    get: (hospitalId, name) => {
      const key = `${hospitalId}/${name}`;
      let value = read.get(key);
      if (!value) {
        value = secrets.get(hospitalId, name);
        read.set(key, value);
      }
      return value;
    },
  };
}

/** A secret reference resolved once, on first use (undefined when not configured). */
function lazySecret(ref: string | undefined, region: string): () => Promise<string | undefined> {
  let value: Promise<string | undefined> | undefined;
  return () => {
    value ??= ref ? resolveSecret(ref, region) : Promise.resolve(undefined);
    return value;
  };
}

let fetchTraced = false;

/**
 * X-Ray subsegments for the function's DynamoDB commands and fetches (providers, SSM, S3, JWKS). Lambda sets
 * `_X_AMZN_TRACE_ID` for each invocation, so it is read when a call ends.
 */
function traceCalls(daemonAddress: string, dynamo: DynamoDBDocumentClient, region: string) {
  const recorder = xrayRecorder(daemonAddress, () => process.env._X_AMZN_TRACE_ID);
  traceDynamo(dynamo, recorder, region);
  if (!fetchTraced) traceFetch(recorder);
  fetchTraced = true;
}

/**
 * What a function builds beyond the core: `providers` builds its parts (the composers in lib/config), and
 * `eventBus` the relay's publisher (lib/config/event-bus.ts; without it events are only logged).
 */
export interface DepsParts<P extends object> {
  readonly providers?: (config: Config, clock: Clock) => Promise<P>;
  readonly eventBus?: (config: Config, self: () => CoreDeps & P) => Promise<EventPublisher>;
}

/**
 * Builds the dependencies for a config and the parts a function asks for; tests pass overrides (a fixed
 * clock, their own providers) instead of mocking modules.
 */
export async function buildDeps<P extends object = object>(
  config: Config,
  overrides: Partial<AppDeps> = {},
  parts: DepsParts<P> = {},
): Promise<CoreDeps & P> {
  const clock = overrides.clock ?? systemClock;
  const dynamo =
    overrides.dynamo ?? createDocumentClient({ region: config.region, endpoint: config.dynamodbEndpoint });
  if (config.xrayDaemonAddress && !overrides.dynamo)
    traceCalls(config.xrayDaemonAddress, dynamo, config.region);
  const authConfig = config.auth;
  const verifyOptions = {
    issuer: authConfig.issuer,
    audience: authConfig.audience,
    ...(config.hospitals.requireClaim ? {} : { defaultHospital: config.hospitals.defaultId }),
  };
  const auth =
    overrides.auth ??
    (authConfig.mode === 'hs256'
      ? lazyVerifier(async () =>
          hs256Verifier(await resolveSecret(authConfig.secretRef, config.region), verifyOptions),
        )
      : jwksVerifier(authConfig.jwksUrl, verifyOptions));
  const logger = overrides.logger ?? createLogger(config.logLevel, config.stage);
  const built = await parts.providers?.(config, clock);
  // Only the relay publishes: its event-bus part gives EventBridge, or locally the in-process subscribers.
  const publisher =
    overrides.publisher ??
    (await parts.eventBus?.(config, () => self)) ??
    logPublisher((message, fields) => logger.info(message, fields));
  const stores = (hospitalId: string) => hospitalStores(dynamo, config, clock, hospitalId);
  const own = stores(config.hospitals.defaultId);
  const hospitals = overrides.hospitals ?? dynamoHospitalRegistry(dynamo, config.tableName);
  const registered = registeredHospitals(
    hospitals,
    clock,
    config.hospitals.defaultId,
    config.hospitals.cacheMs,
  );
  const hospitalSecrets = overrides.hospitalSecrets ?? hospitalSecretsOf(config);
  // A hospital's partner parts are built once per registration read (registeredHospitals keeps the same record
  // object for HOSPITAL_CACHE_SECONDS), so its secrets are read once a minute, not on every request; within a
  // build each secret is read once, however many parts act for the same merchant.
  const partnerBuilt = new WeakMap<Hospital, Promise<object>>();
  const partnerParts = (deps: { readonly partner?: CoreDeps['partner'] }, hospital: Hospital) => {
    let parts = partnerBuilt.get(hospital);
    if (!parts) {
      parts = Promise.resolve(deps.partner?.(hospital, readOnce(hospitalSecrets)) ?? {});
      partnerBuilt.set(hospital, parts);
      parts.catch(() => partnerBuilt.delete(hospital));
    }
    return parts;
  };
  const self: CoreDeps & P = {
    ...(built as P),
    config,
    clock,
    hospitalId: config.hospitals.defaultId,
    // A copy with only the stores swapped keeps every part the function built (and a test's overrides).
    hospitals,
    hospitalSecrets,
    inHospital: async <T extends { readonly hospitalId: string; readonly partner?: CoreDeps['partner'] }>(
      deps: T,
      hospitalId: string,
      options?: { readonly forCaller?: boolean },
    ) => {
      if (hospitalId === deps.hospitalId) return deps;
      const hospital = await registered(hospitalId);
      if (options?.forCaller && hospital?.status === 'SUSPENDED')
        throw new ForbiddenError('The hospital is suspended: its staff and patients cannot act for now.', {
          hospitalId,
        });
      // A registered hospital never uses the deployment's direct-mode accounts: only its own partner parts.
      const channels = hospital ? { ...NO_CHANNELS, ...(await partnerParts(deps, hospital)) } : {};
      return { ...deps, hospitalId, ...stores(hospitalId), ...channels };
    },
    outbox: overrides.outbox ?? own.outbox,
    publisher,
    visits: overrides.visits ?? { ...config.visits, creditLimitFen: fen(config.visits.creditLimitFen) },
    admissions: overrides.admissions ?? {
      depositCapFen: fen(config.admissions.depositCapFen),
      lowBalanceFen: fen(config.admissions.lowBalanceFen),
    },
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
    refunds: config.refunds,
    callbacks: overrides.callbacks ?? {
      signer: hmacCallbackSigner(lazySecret(config.callbacks.signingKeyRef, config.region)),
      sender: httpCallbackSender(),
      retryBaseMs: config.callbacks.retryBaseMs,
      retryForMs: config.callbacks.retryForMs,
      allowHttp: config.callbacks.allowHttp,
    },
    dynamo,
    auth,
    logger,
    metrics: overrides.metrics ?? emfMetrics(config.stage),
    ids: overrides.ids ?? ulidIds(),
    ledger: overrides.ledger ?? own.ledger,
    idempotency: overrides.idempotency ?? own.idempotency,
    // Tests pass their own parts (providers against their sandbox, a fixed clock) instead of mocking modules.
    ...overrides,
  };
  return self;
}

/**
 * A function's dependencies from process.env, built on first use with the parts it asks for, and again once
 * they are older than SECRET_TTL_MS, so that rotated secrets are picked up; a failed build is retried on the
 * next call.
 */
export function composeDeps<P extends object = object>(
  parts: DepsParts<P> = {},
): () => Promise<CoreDeps & P> {
  let cached: Promise<CoreDeps & P> | undefined;
  let builtAt = 0;
  return async () => {
    // A rebuild keeps the DynamoDB client (and its connections and tracing); secrets are read again.
    const previous = cached && Date.now() - builtAt > SECRET_TTL_MS ? await cached : undefined;
    if (previous) cached = undefined;
    if (!cached) {
      builtAt = Date.now();
      cached = buildDeps(loadConfig(process.env), previous ? { dynamo: previous.dynamo } : {}, parts).catch(
        (error: unknown) => {
          cached = undefined;
          throw error;
        },
      );
    }
    return cached;
  };
}

/** The dependencies of a function that calls no provider and publishes nothing (the core only). */
export const appDeps = composeDeps();
