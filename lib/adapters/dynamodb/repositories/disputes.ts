/** Disputes in the table: by their wallet complaint (byRef), and the open ones by their next deadline (byTime). */
import {
  assertDisputeTransition,
  nextDeadline,
  type Dispute,
  type DisputeSource,
} from '../../../domain/dispute';
import type { DisputeRepository, PageRequest } from '../../../ports/repositories';
import type { EntityTable } from '../entity-table';
import { byRef, pageOf, repository, type EntityKind } from './kind';

/** byRef partition of a wallet complaint's dispute. */
const complaintRef = (source: DisputeSource, complaintId: string) => `DISPUTE#${source}#${complaintId}`;
/** byTime partition of the open disputes, sorted by the deadline that applies now (the inbox). */
const OPEN = 'DISPUTE#OPEN';

const DISPUTE: EntityKind<Dispute> = {
  type: 'dispute',
  id: (d) => d.disputeId,
  indexes: (d) => {
    const due = nextDeadline(d);
    return {
      ...(d.provider
        ? { byRef: { partition: complaintRef(d.source, d.provider.complaintId), sort: 'dispute' } }
        : {}),
      ...(due ? { byTime: { partition: OPEN, sort: `${due}#${d.disputeId}` } } : {}),
    };
  },
  assertTransition: assertDisputeTransition,
};

/** The dispute repository over the table. */
export function disputeRepository(table: EntityTable): DisputeRepository {
  return {
    ...repository(table, DISPUTE),
    byComplaint: (source: DisputeSource, complaintId: string) =>
      byRef<Dispute>(table, complaintRef(source, complaintId)),
    pageOpen: (page: PageRequest) => pageOf<Dispute>(table, 'byTime', OPEN, page),
  };
}
