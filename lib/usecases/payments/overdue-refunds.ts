/**
 * Refunds past their promise (GET /overdue-refunds: finance's to-do list; the sweep counts them for the
 * RefundsOverdue alarm): still PROCESSING after the time the provider's published timing, or the hospital's
 * finance promise for an ABNORMAL one, gave them (domain/refund-progress.ts). The oldest promise first.
 * Read from the PROCESSING refunds, oldest first, up to `scan` of them.
 */
import { DEFAULT_REFUND_POLICY, expectedArrival, stepsOf } from '../../domain/refund-progress';
import type { Refund } from '../../domain/payment';
import type { RecordDeps } from './deps';

/** The refunds still on their way whose expected arrival has passed, each with that time. */
export async function overdueRefunds(
  deps: Pick<RecordDeps, 'ledger' | 'clock' | 'refunds'>,
  scan = 500,
): Promise<Array<{ refund: Refund; expectedBy: string }>> {
  const now = deps.clock.now();
  const processing = await deps.ledger.refunds.processingCreatedBefore(now.toISOString(), scan);
  const policy = deps.refunds ?? DEFAULT_REFUND_POLICY;
  return processing
    .flatMap((refund) => {
      const expected =
        refund.expectedBy ?? expectedArrival({ ...refund, steps: stepsOf(refund) }, policy)?.toISOString();
      return expected && expected < now.toISOString() ? [{ refund, expectedBy: expected }] : [];
    })
    .sort((a, b) => a.expectedBy.localeCompare(b.expectedBy));
}

/** Counts the overdue refunds into RefundsOverdue (the alarm fires on any); returns how many. */
export async function countOverdueRefunds(deps: RecordDeps): Promise<number> {
  const overdue = await overdueRefunds(deps);
  if (overdue.length > 0) deps.metrics.count('RefundsOverdue', {}, overdue.length);
  return overdue.length;
}
