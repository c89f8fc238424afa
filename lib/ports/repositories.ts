/**
 * Typed repositories, one per aggregate: each reads its entities as domain values and builds the entity
 * writes a LedgerChange holds. How they are keyed and indexed in the store is the adapter's alone.
 */
import type { CallbackDelivery, DeliveryLane, NotificationEndpoint } from '../domain/callbacks';
import type { Admission, AdmissionCharge } from '../domain/admission';
import type { CopyRequest } from '../domain/copy-request';
import type { Dispute, DisputeSource } from '../domain/dispute';
import type { LegacyBalance, LegacyRefundBatch } from '../domain/legacy-balance';
import type { Discrepancy, DiscrepancyStatus } from '../domain/discrepancy';
import type {
  DiscrepancyLine,
  Reconciliation,
  ReconciledDay,
  UnmatchedNotification,
} from '../domain/finance';
import type { Channel } from '../domain/ledger/accounts';
import type { BulkRefundBatch, Payment, Refund } from '../domain/payment';
import type { CreditLock, Visit, VisitStatus } from '../domain/visit';
import type { EntityExpectation, EntityWrite } from './entity-write';

/** An entity with the stored version it was read at (the guard of its next write). */
export type Versioned<T> = { readonly value: T; readonly version: number };

/** Which page to read: at most `limit`, from `cursor` (opaque, from the previous page; absent: the first). */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/** One page of values, with the cursor of the next page (absent on the last). */
export interface Page<T> {
  readonly values: T[];
  readonly cursor?: string;
}

/** Reads one kind of entity by id and builds the writes of its states. */
export interface Repository<T> {
  /** The entity with its version, or undefined. */
  get(id: string): Promise<Versioned<T> | undefined>;
  /** The write of `value` as the entity's new state, guarded by `expect`. */
  write(value: T, expect: EntityExpectation): EntityWrite;
}

/** A repository of an entity with a status: its moves are checked against the domain's transition rule. */
export interface StatusRepository<T extends { readonly status: string }> extends Repository<T> {
  /**
   * The write that moves `current` to `next`: throws InvalidStateError when the domain forbids the status
   * change; the store applies it only while the entity is still at the status and version it was read at.
   */
  transition(current: Versioned<T>, next: T): EntityWrite;
}

/** Entities listed by the business day they were created on (search reads a day page by page). */
export interface DayListed<T> {
  /** The index entry that lists `value` under its creation day: written once, with the entity. */
  dayListing(value: T): EntityWrite;
  /** One page of a business day's entities, oldest first. */
  ofDay(date: string, page: PageRequest): Promise<Page<T>>;
}

/** Payments. */
export interface PaymentRepository extends StatusRepository<Payment> {
  /** The payment of a provider order number. */
  byOutTradeNo(channel: Channel, outTradeNo: string): Promise<Versioned<Payment> | undefined>;
  /** PENDING payments created before `before` (ISO instant), oldest first: the sweep's work. */
  pendingCreatedBefore(before: string, limit: number): Promise<Versioned<Payment>[]>;
  /** The index entry listing a new payment under its HIS reference and its business day. */
  listing(payment: Payment): EntityWrite;
  /** Every payment made under an HIS reference (bulk refunds). */
  ofReference(referenceId: string): Promise<Versioned<Payment>[]>;
  /** One page of an HIS reference's payments. */
  pageOfReference(referenceId: string, page: PageRequest): Promise<Page<Payment>>;
  /** One page of a business day's payments, in creation order. */
  pageOfDay(date: string, page: PageRequest): Promise<Page<Payment>>;
  /** The claim a captured payment makes on its provider trade number: one trade pays one payment. */
  claimTradeNo(payment: Payment, providerTradeNo: string): EntityWrite;
  /** The id of the payment that claimed a provider trade number, if any. */
  tradeNoOwner(channel: Channel, providerTradeNo: string): Promise<string | undefined>;
  /** The claim a payment-code payment makes on its code (by digest, never the code): a code pays once. */
  claimPaymentCode(payment: Payment, codeDigest: string): EntityWrite;
  /** The id of the payment that claimed a payment code, if any. */
  paymentCodeOwner(channel: Channel, codeDigest: string): Promise<string | undefined>;
  /** The index entry that finds a payment by its link's token (mode h5). */
  linkListing(payment: Payment, token: string): EntityWrite;
  /** The payment a link's token opens, if any. */
  byPayLink(token: string): Promise<Versioned<Payment> | undefined>;
}

/** Refunds. */
export interface RefundRepository extends StatusRepository<Refund> {
  /** The refund of a provider refund number. */
  byOutRefundNo(channel: Channel, outRefundNo: string): Promise<Versioned<Refund> | undefined>;
  /** PROCESSING refunds created before `before`, oldest first: the sweep's work. */
  processingCreatedBefore(before: string, limit: number): Promise<Refund[]>;
}

/** Visits (pay later), and the index entries that find them. */
export interface VisitRepository extends StatusRepository<Visit>, DayListed<Visit> {
  /** The visit of an authorisation's out_order_no. */
  byOutOrderNo(channel: Channel, outOrderNo: string): Promise<Versioned<Visit> | undefined>;
  /** The index entry that finds a visit by its capture's out_trade_no (Alipay trade notifications). */
  captureListing(visit: Visit, outTradeNo: string): EntityWrite;
  /** The visit whose capture used this out_trade_no. */
  byCaptureOutTradeNo(channel: Channel, outTradeNo: string): Promise<Versioned<Visit> | undefined>;
  /** Visits in `status` whose scheduled work is due at or before `at` (ISO instant), soonest first. */
  dueBy(status: VisitStatus, at: string, limit: number): Promise<Visit[]>;
  /** The same, every one of them, page by page. */
  allDueBy(status: VisitStatus, at: string): AsyncIterable<Visit>;
  /** OPEN visits created before `before` (ISO instant), oldest first: auto-settle's work. */
  openedBefore(before: string, limit: number): Promise<Visit[]>;
}

/** Each patient's credit lock: the one visit that is not yet SETTLED or CANCELLED. */
export interface CreditLockRepository {
  /** The patient's lock with its version (undefined: never had a credit visit). */
  get(patientId: string): Promise<Versioned<CreditLock> | undefined>;
  /** Takes the lock for a new visit; guarded so two concurrent opens cannot both succeed. */
  take(patientId: string, visitId: string, current: Versioned<CreditLock> | undefined): EntityWrite;
  /** Frees the lock when the visit ends, in the same transaction. */
  free(patientId: string): EntityWrite;
}

/** Inpatient admissions, and the charge lines posted against them. */
export interface AdmissionRepository extends StatusRepository<Admission> {
  /** Admissions whose discharge settlement started before `before` and is not done, oldest first. */
  settlingSince(before: string, limit: number): Promise<Admission[]>;
  /** The write of a new charge line (it collides with an earlier line of the same chargeId). */
  chargeWrite(charge: AdmissionCharge): EntityWrite;
  /** One charge line of an admission. */
  charge(admissionId: string, chargeId: string): Promise<AdmissionCharge | undefined>;
  /** One page of an admission's charge lines, in the order they were posted (the index lags a write by a moment). */
  chargesPage(admissionId: string, page: PageRequest): Promise<Page<AdmissionCharge>>;
}

/** Legacy outpatient deposit balances (by their HIS id) and the batches that refund them. */
export interface LegacyRepository {
  readonly balances: Repository<LegacyBalance>;
  readonly batches: Repository<LegacyRefundBatch>;
  /** Batches still processing, oldest first (the sweep carries them on). */
  processingBatches(limit: number): Promise<LegacyRefundBatch[]>;
}

/** Copy requests. */
export interface CopyRequestRepository extends StatusRepository<CopyRequest>, DayListed<CopyRequest> {
  /** Requests awaiting payment whose deadline is at or before `at`, soonest first: the expiry job's work. */
  awaitingPaymentDueBy(at: string, limit: number): Promise<CopyRequest[]>;
}

/** Fee disputes. */
export interface DisputeRepository extends StatusRepository<Dispute> {
  /** The dispute of a wallet complaint. */
  byComplaint(source: DisputeSource, complaintId: string): Promise<Versioned<Dispute> | undefined>;
  /** One page of the open disputes, the nearest deadline first (the staff inbox). */
  pageOpen(page: PageRequest): Promise<Page<Dispute>>;
}

/** Bulk refund batches. */
export type BulkRefundRepository = Repository<BulkRefundBatch>;

/** Reconciliation runs, their discrepancy lines, their per-line fees, and each reconciled day. */
export interface ReconciliationRepository extends Repository<Reconciliation> {
  /** The writes of a run's discrepancy lines `from` … (numbered from `from`, in the order given). */
  lineWrites(reconciliationId: string, from: number, lines: readonly DiscrepancyLine[]): EntityWrite[];
  /** A run's discrepancy lines, up to `limit`, in order. */
  lines(reconciliationId: string, limit: number): Promise<DiscrepancyLine[]>;
  /** The write of chunk `chunk` of a run's per-line bill fees (by match key). */
  lineFeesWrite(reconciliationId: string, chunk: number, fees: Readonly<Record<string, number>>): EntityWrite;
  /** Every per-line fee of a run, chunk by chunk. */
  lineFees(reconciliationId: string): AsyncIterable<Readonly<Record<string, number>>>;
  /** Every run of a channel's day, oldest first. */
  runsOfDay(channel: Channel, date: string): AsyncIterable<Reconciliation>;
  /** A channel's reconciled day, with its version. */
  day(channel: Channel, date: string): Promise<Versioned<ReconciledDay> | undefined>;
  /** The write of a reconciled day's new state (created, or guarded by the version it was read at). */
  dayWrite(day: ReconciledDay, current: Versioned<ReconciledDay> | undefined): EntityWrite;
}

/** Discrepancies opened by reconciliation runs. */
export interface DiscrepancyRepository extends StatusRepository<Discrepancy> {
  /** One page of the discrepancies in a status, oldest day first. */
  pageByStatus(status: DiscrepancyStatus, page: PageRequest): Promise<Page<Discrepancy>>;
  /** One page of a channel's day's discrepancies. */
  pageOfDay(channel: Channel, date: string, page: PageRequest): Promise<Page<Discrepancy>>;
}

/** The hospital's notification endpoints. */
export interface EndpointRepository extends StatusRepository<NotificationEndpoint> {
  /** Every endpoint, oldest first (a hospital registers a handful). */
  all(): Promise<NotificationEndpoint[]>;
}

/** Callback deliveries. */
export interface DeliveryRepository extends StatusRepository<CallbackDelivery> {
  /** One page of an event's deliveries, in creation order. */
  ofEvent(eventId: string, page: PageRequest): Promise<Page<CallbackDelivery>>;
  /** PENDING deliveries whose next attempt is due at or before `at`, soonest first. */
  dueBy(at: string, limit: number): Promise<Versioned<CallbackDelivery>[]>;
}

/** Valid provider notifications that match nothing medpay created. */
export interface UnmatchedRepository {
  /** The write that records one (a repeat of the same notification collides: CONCURRENT_MODIFICATION). */
  write(notification: UnmatchedNotification): EntityWrite;
  /** One recorded notification. */
  get(channel: string, notificationId: string): Promise<UnmatchedNotification | undefined>;
}

/** Every aggregate's repository. */
export interface Repositories {
  readonly payments: PaymentRepository;
  readonly refunds: RefundRepository;
  readonly bulkRefunds: BulkRefundRepository;
  readonly visits: VisitRepository;
  readonly creditLocks: CreditLockRepository;
  readonly admissions: AdmissionRepository;
  readonly legacy: LegacyRepository;
  readonly copyRequests: CopyRequestRepository;
  readonly disputes: DisputeRepository;
  readonly reconciliations: ReconciliationRepository;
  readonly discrepancies: DiscrepancyRepository;
  readonly endpoints: EndpointRepository;
  readonly deliveries: DeliveryRepository;
  readonly lanes: Repository<DeliveryLane>;
  readonly unmatched: UnmatchedRepository;
}
