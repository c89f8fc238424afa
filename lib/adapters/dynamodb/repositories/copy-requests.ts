/** Copy requests in the table: by deadline while awaiting payment, and by the day they were submitted. */
import { assertCopyRequestTransition, type CopyRequest } from '../../../domain/copy-request';
import type { CopyRequestRepository } from '../../../ports/repositories';
import type { EntityTable } from '../entity-table';
import { dayListing, repository, valueOf, type EntityKind } from './kind';

/** byTime partition of requests awaiting payment, sorted by their deadline (the expiry job reads it). */
const AWAITING_PAYMENT = 'COPY#AWAITING_PAYMENT';

/** Copy requests: those awaiting payment by their deadline. */
const COPY_REQUEST: EntityKind<CopyRequest> = {
  type: 'copyrequest',
  id: (r) => r.copyRequestId,
  indexes: (r) =>
    r.status === 'AWAITING_PAYMENT' && r.payBy
      ? { byTime: { partition: AWAITING_PAYMENT, sort: `${r.payBy}#${r.copyRequestId}` } }
      : undefined,
  assertTransition: assertCopyRequestTransition,
};

/** The copy-request repository over the table. */
export function copyRequestRepository(table: EntityTable): CopyRequestRepository {
  return {
    ...repository(table, COPY_REQUEST),
    ...dayListing<CopyRequest>(table, COPY_REQUEST.type, COPY_REQUEST.id, (r) => r.submittedAt),
    awaitingPaymentDueBy: async (at: string, limit: number) =>
      (await table.listByTime(AWAITING_PAYMENT, `${at}#~`, limit)).map((e) => valueOf<CopyRequest>(e)),
  };
}
