/** Visits, their index entries and each patient's credit lock in the table. */
import type { Channel } from '../../../domain/ledger/accounts';
import { assertVisitTransition, type CreditLock, type Visit, type VisitStatus } from '../../../domain/visit';
import type { CreditLockRepository, VisitRepository } from '../../../ports/repositories';
import type { EntityExpectation, EntityWrite } from '../../../ports/entity-write';
import type { EntityTable } from '../entity-table';
import {
  byRef,
  dayListing,
  followRef,
  pointerWrite,
  repository,
  valueOf,
  versioned,
  type EntityKind,
} from './kind';

/** byTime partitions the visit jobs scan, one per status that has scheduled work. */
const duePartition = (status: VisitStatus) => `VISIT#${status}`;
const outOrderRef = (channel: string, outOrderNo: string) => `OUTORDER#${channel}#${outOrderNo}`;
const captureRef = (channel: string, outTradeNo: string) => `VISITCAPTURE#${channel}#${outTradeNo}`;

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

/** Visits: by authorisation order number, and by status and when the scheduler is due. */
const VISIT: EntityKind<Visit> = {
  type: 'visit',
  id: (v) => v.visitId,
  indexes: (v) => {
    const due = dueAt(v);
    return {
      byRef: { partition: outOrderRef(v.channel, v.outOrderNo), sort: 'visit' },
      ...(due ? { byTime: { partition: duePartition(v.status), sort: `${due}#${v.visitId}` } } : {}),
    };
  },
  assertTransition: assertVisitTransition,
};

/** The visit repository over the table. */
export function visitRepository(table: EntityTable): VisitRepository {
  return {
    ...repository(table, VISIT),
    ...dayListing<Visit>(table, VISIT.type, VISIT.id, (v) => v.createdAt),
    byOutOrderNo: (channel: Channel, outOrderNo: string) =>
      byRef<Visit>(table, outOrderRef(channel, outOrderNo)),
    captureListing: (visit: Visit, outTradeNo: string) =>
      pointerWrite(
        'visitcapture',
        `${visit.channel}-${outTradeNo}`,
        { visitId: visit.visitId },
        { byRef: { partition: captureRef(visit.channel, outTradeNo), sort: 'visitcapture' } },
      ),
    byCaptureOutTradeNo: (channel: Channel, outTradeNo: string) =>
      followRef<Visit>(table, captureRef(channel, outTradeNo), { type: VISIT.type, field: 'visitId' }),
    dueBy: async (status: VisitStatus, at: string, limit: number) =>
      (await table.listByTime(duePartition(status), `${at}#~`, limit)).map((e) => valueOf<Visit>(e)),
    allDueBy: async function* (status: VisitStatus, at: string) {
      for await (const e of table.scanByTime(duePartition(status), `${at}#~`)) yield valueOf<Visit>(e);
    },
    openedBefore: async (before: string, limit: number) =>
      (await table.listByTime(duePartition('OPEN'), before, limit)).map((e) => valueOf<Visit>(e)),
  };
}

/** The credit locks over the table: one item per patient. */
export function creditLockRepository(table: EntityTable): CreditLockRepository {
  const write = (patientId: string, state: CreditLock, expect: EntityExpectation): EntityWrite => ({
    type: 'creditlock',
    id: patientId,
    state,
    expect,
  });
  return {
    get: async (patientId: string) => {
      const stored = await table.getEntity('creditlock', patientId);
      return stored && versioned<CreditLock>(stored);
    },
    take: (patientId, visitId, current) =>
      write(
        patientId,
        { status: 'ACTIVE', visitId },
        current ? { kind: 'version', version: current.version } : { kind: 'absent' },
      ),
    free: (patientId) => write(patientId, { status: 'FREE' }, { kind: 'status', status: ['ACTIVE'] }),
  };
}
