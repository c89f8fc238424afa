/** How visits are stored through the LedgerStore: the visit entity, its lookups and the patient's credit lock. */
import { assertVisitTransition, type Visit, type VisitStatus } from '../../domain/visit';
import type { EntityExpectation, EntityWrite, LedgerStore } from '../../ports/ledger-store';
import { newEvent } from '../shared/events';
import type { VisitDeps } from './deps';
import { entityWrite, findVersioned, loadOwned, type EntityKind } from '../shared/records';

/** byTime partitions the visit jobs scan, one per status that has scheduled work. */
export const visitsDuePartition = (status: VisitStatus) => `VISIT#${status}`;

/** The instant a visit in its status next needs the scheduler (sort key of its byTime entry). */
function dueAt(visit: Visit): string | undefined {
  switch (visit.status) {
    case 'AWAITING_AUTHORISATION':
      return visit.authoriseBy;
    case 'OPEN':
      // Auto-settle takes the OPEN visits created before the cut-off, oldest first.
      return visit.createdAt;
    case 'SETTLING':
    case 'PAYMENT_FAILED':
      return visit.settlement?.nextAttemptAt ?? visit.settlement?.requestedAt ?? visit.createdAt;
    case 'CANCELLED':
    case 'SETTLED':
      // Cancelled, or paid off through POST /payments: the authorisation still has to be released.
      return visit.authorisationReleased === false ? (visit.closedAt ?? visit.createdAt) : undefined;
    default:
      return undefined; // OVERDUE: nothing scheduled
  }
}

const outOrderRef = (channel: string, outOrderNo: string) => `OUTORDER#${channel}#${outOrderNo}`;
const captureRef = (channel: string, outTradeNo: string) => `VISITCAPTURE#${channel}#${outTradeNo}`;

/** How visits are stored: by authorisation order number, and by status and when the scheduler is due. */
export const VISIT: EntityKind<Visit> = {
  type: 'visit',
  id: (v) => v.visitId,
  indexes: (v) => {
    const due = dueAt(v);
    return {
      byRef: { partition: outOrderRef(v.channel, v.outOrderNo), sort: 'visit' },
      ...(due ? { byTime: { partition: visitsDuePartition(v.status), sort: `${due}#${v.visitId}` } } : {}),
    };
  },
  assertTransition: assertVisitTransition,
};

/** The EntityWrite of a visit's new state. */
export const visitWrite = (visit: Visit, expect: EntityExpectation) => entityWrite(VISIT, visit, expect);

/** The index entry that finds a visit by its capture's out_trade_no (Alipay trade notifications). */
export function visitCaptureRefWrite(visit: Visit, outTradeNo: string): EntityWrite {
  return {
    type: 'visitcapture',
    id: `${visit.channel}-${outTradeNo}`,
    state: { visitId: visit.visitId },
    expect: { kind: 'absent' },
    indexes: { byRef: { partition: captureRef(visit.channel, outTradeNo), sort: 'visitcapture' } },
  };
}

/** Loads a visit; NOT_FOUND also for another patient's visit. */
export const loadVisit = (ledger: LedgerStore, visitId: string, patientScope?: string) =>
  loadOwned<Visit>(ledger, 'visit', 'Visit', visitId, patientScope);

/** Finds a visit by its authorisation's out_order_no. */
export const findVisitByOutOrderNo = (ledger: LedgerStore, channel: string, outOrderNo: string) =>
  findVersioned<Visit>(ledger, outOrderRef(channel, outOrderNo));

/** Finds the visit whose capture used this out_trade_no. */
export async function findVisitByCaptureOutTradeNo(ledger: LedgerStore, channel: string, outTradeNo: string) {
  const ref = await ledger.findByRef(captureRef(channel, outTradeNo));
  return ref ? loadVisit(ledger, (ref.state as { visitId: string }).visitId) : undefined;
}

/** The patient's credit lock: the one visit that is not yet SETTLED or CANCELLED. */
export interface CreditLock {
  readonly status: 'ACTIVE' | 'FREE';
  readonly visitId?: string;
}

/** Reads the patient's credit lock with its version (undefined: never had a credit visit). */
export async function loadCreditLock(ledger: LedgerStore, patientId: string) {
  const stored = await ledger.getEntity('creditlock', patientId);
  return stored ? { value: stored.state as unknown as CreditLock, version: stored.version } : undefined;
}

/** Takes the lock for a new visit; guarded so two concurrent opens cannot both succeed. */
export function takeCreditLock(
  patientId: string,
  visitId: string,
  current: { version: number } | undefined,
): EntityWrite {
  return {
    type: 'creditlock',
    id: patientId,
    state: { status: 'ACTIVE', visitId },
    expect: current ? { kind: 'version', version: current.version } : { kind: 'absent' },
  };
}

/** Frees the lock when the visit ends (SETTLED or CANCELLED), in the same transaction. */
export function freeCreditLock(patientId: string): EntityWrite {
  return {
    type: 'creditlock',
    id: patientId,
    state: { status: 'FREE' },
    expect: { kind: 'status', status: ['ACTIVE'] },
  };
}

/** An outbox event about a visit (the hospital's messaging pushes these to the patient). */
export const visitEvent = (
  deps: Pick<VisitDeps, 'ids' | 'clock'>,
  type: 'VisitSettlementStarted' | 'VisitCaptured' | 'VisitPaymentFailed' | 'VisitOverdue' | 'VisitSettled',
  visit: Visit,
  extra: Record<string, unknown> = {},
) => newEvent(deps, type, { visitId: visit.visitId, patientId: visit.patientId, ...extra });
