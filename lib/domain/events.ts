/**
 * The domain events medpay publishes (outbox → EventBridge, or the in-process relay locally), each with the
 * payload its publishers write and its subscribers read: one catalogue, so neither side casts.
 */
import type { Channel } from './ledger/accounts';

/** What every copy-request event carries, plus what the transition adds (fee, tracking, …). */
type CopyRequestPayload = { copyRequestId: string; patientId: string; status?: string } & Record<
  string,
  unknown
>;
/** What every settlement event carries, plus what the step adds. */
type VisitPayload = { visitId: string; patientId: string } & Record<string, unknown>;
/** What every admission event carries, plus what the step adds (balance, threshold, totals). */
type AdmissionPayload = { admissionId: string; patientId: string } & Record<string, unknown>;
type RefundPayload = {
  refundId: string;
  paymentId: string;
  patientId: string;
  amountFen: number;
  /** Where the money went, as the provider reported it. */
  destination?: { kind: string; account: string };
};

/** What every dispute event carries. */
type DisputePayload = {
  disputeId: string;
  source: string;
  status: string;
  paymentId?: string;
  patientId?: string;
  complaintId?: string;
  resolveBy: string;
};

/** Event type → payload. */
export interface DomainEventPayloads {
  PaymentSucceeded: {
    paymentId: string;
    patientId: string;
    purpose: string;
    referenceId: string;
    amountFen: number;
    channel: Channel;
    /** How it was taken, who paid (not necessarily the patient), and at which window (payment codes). */
    mode?: string;
    payerId?: string;
    counter?: { staffId: string; deviceId: string; windowId?: string };
  };
  PaymentClosed: { paymentId: string };
  RefundSucceeded: RefundPayload;
  RefundFailed: RefundPayload;
  /** A step of a refund on its way (REQUESTED, ACCEPTED, ABNORMAL, REROUTED), with its new promise. */
  RefundProgressed: RefundPayload & { step: string; at: string; expectedBy?: string };
  VisitOpened: { visitId: string; patientId: string; channel: Channel; creditLimitFen: number };
  VisitAuthorised: { visitId: string; patientId: string; creditLimitFen: number };
  VisitCancelled: { visitId: string; patientId: string; reason?: string };
  VisitSettlementStarted: VisitPayload;
  VisitCaptured: VisitPayload;
  VisitPaymentFailed: VisitPayload;
  VisitOverdue: VisitPayload;
  VisitSettled: VisitPayload;
  CopyRequestSubmitted: CopyRequestPayload;
  CopyRequestAwaitingPayment: CopyRequestPayload;
  CopyRequestPaid: CopyRequestPayload;
  CopyRequestShipped: CopyRequestPayload;
  CopyRequestDelivered: CopyRequestPayload;
  CopyRequestCancelled: CopyRequestPayload;
  CopyRequestRefunded: CopyRequestPayload;
  CopyRequestExpired: CopyRequestPayload;
  AdmissionOpened: AdmissionPayload;
  /** The balance fell under the admission's threshold: the ward asks for a top-up (催缴). */
  AdmissionLowBalance: AdmissionPayload;
  AdmissionDischargeStarted: AdmissionPayload;
  AdmissionArrearsRequested: AdmissionPayload;
  AdmissionSettled: AdmissionPayload;
  /** A wallet notified a complaint (verified); the dispute it makes or changes follows. */
  ComplaintReceived: { channel: Channel; complaintId: string; action?: string; subMerchant?: string };
  /** A dispute arrived (a wallet complaint, or one the patient opened), or a repeat complaint reopened it. */
  DisputeOpened: DisputePayload;
  /** Staff completed a dispute, or the wallet closed it after a refund. */
  DisputeResolved: DisputePayload;
  /** The wallet or the patient ended a dispute without the hospital completing it. */
  DisputeClosed: DisputePayload;
}
export type DomainEventType = keyof DomainEventPayloads;

/** One event as written to the outbox. */
export interface DomainEvent<T extends DomainEventType = DomainEventType> {
  readonly eventId: string;
  readonly type: T;
  readonly occurredAt: Date;
  readonly payload: DomainEventPayloads[T];
}

/** True when a stored or received event is of `type`; its payload is then that type's. */
export function isEvent<T extends DomainEventType>(
  event: { type: string; payload: unknown },
  type: T,
): event is DomainEvent<T> {
  return event.type === type;
}

/** Every event type, in the catalogue's order (what a HIS endpoint may subscribe to). */
export const DOMAIN_EVENT_TYPES = [
  'PaymentSucceeded',
  'PaymentClosed',
  'RefundSucceeded',
  'RefundFailed',
  'RefundProgressed',
  'VisitOpened',
  'VisitAuthorised',
  'VisitCancelled',
  'VisitSettlementStarted',
  'VisitCaptured',
  'VisitPaymentFailed',
  'VisitOverdue',
  'VisitSettled',
  'CopyRequestSubmitted',
  'CopyRequestAwaitingPayment',
  'CopyRequestPaid',
  'CopyRequestShipped',
  'CopyRequestDelivered',
  'CopyRequestCancelled',
  'CopyRequestRefunded',
  'CopyRequestExpired',
  'AdmissionOpened',
  'AdmissionLowBalance',
  'AdmissionDischargeStarted',
  'AdmissionArrearsRequested',
  'AdmissionSettled',
  'ComplaintReceived',
  'DisputeOpened',
  'DisputeResolved',
  'DisputeClosed',
] as const satisfies readonly DomainEventType[];

// A type of the catalogue missing from the list above fails to compile here.
export type UnlistedEventType = Exclude<DomainEventType, (typeof DOMAIN_EVENT_TYPES)[number]>;
const everyTypeListed: Record<UnlistedEventType, never> = {};
void everyTypeListed;
