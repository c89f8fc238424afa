/** Legacy deposit balances and their refund batches in the table. */
import type { LegacyBalance, LegacyRefundBatch } from '../../../domain/legacy-balance';
import type { LegacyRepository } from '../../../ports/repositories';
import type { EntityTable } from '../entity-table';
import { repository, valueOf } from './kind';

/** byTime partition of batches still processing, by creation time. */
const PROCESSING = 'LEGACYBATCH#PROCESSING';

/** The legacy-balance repositories over the table. */
export function legacyRepository(table: EntityTable): LegacyRepository {
  return {
    balances: repository<LegacyBalance>(table, { type: 'legacybal', id: (b) => b.balanceId }),
    batches: repository<LegacyRefundBatch>(table, {
      type: 'legacybatch',
      id: (b) => b.batchId,
      indexes: (b) =>
        b.status === 'PROCESSING'
          ? { byTime: { partition: PROCESSING, sort: `${b.createdAt}#${b.batchId}` } }
          : undefined,
    }),
    processingBatches: async (limit: number) =>
      (await table.listByTime(PROCESSING, '~', limit)).map((e) => valueOf<LegacyRefundBatch>(e)),
  };
}
