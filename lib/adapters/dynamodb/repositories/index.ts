/** Every aggregate's repository over one table. */
import type { UnmatchedNotification } from '../../../domain/finance';
import type { Repositories, UnmatchedRepository } from '../../../ports/repositories';
import type { EntityTable } from '../entity-table';
import { deliveryRepository, endpointRepository, laneRepository } from './callbacks';
import { admissionRepository } from './admissions';
import { legacyRepository } from './legacy';
import { copyRequestRepository } from './copy-requests';
import { disputeRepository } from './disputes';
import { discrepancyRepository, reconciliationRepository } from './finance';
import { valueOf } from './kind';
import { bulkRefundRepository, paymentRepository, refundRepository } from './payments';
import { creditLockRepository, visitRepository } from './visits';

/** Valid notifications that match nothing medpay created, kept for reconciliation (by arrival time). */
function unmatchedRepository(table: EntityTable): UnmatchedRepository {
  const id = (channel: string, notificationId: string) => `${channel}-${notificationId}`;
  return {
    write: (n: UnmatchedNotification) => ({
      type: 'orphan',
      id: id(n.channel, n.notificationId),
      state: n,
      expect: { kind: 'absent' },
      indexes: { byTime: { partition: 'ORPHAN', sort: `${n.receivedAt}#${n.notificationId}` } },
    }),
    get: async (channel: string, notificationId: string) => {
      const stored = await table.getEntity('orphan', id(channel, notificationId));
      return stored && valueOf<UnmatchedNotification>(stored);
    },
  };
}

/** The repositories of every aggregate, over one EntityTable. */
export function repositories(table: EntityTable): Repositories {
  return {
    payments: paymentRepository(table),
    refunds: refundRepository(table),
    bulkRefunds: bulkRefundRepository(table),
    visits: visitRepository(table),
    creditLocks: creditLockRepository(table),
    admissions: admissionRepository(table),
    legacy: legacyRepository(table),
    copyRequests: copyRequestRepository(table),
    disputes: disputeRepository(table),
    reconciliations: reconciliationRepository(table),
    discrepancies: discrepancyRepository(table),
    endpoints: endpointRepository(table),
    deliveries: deliveryRepository(table),
    lanes: laneRepository(table),
    unmatched: unmatchedRepository(table),
  };
}
