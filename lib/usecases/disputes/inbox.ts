/**
 * The staff inbox (GET /disputes): every open dispute of the hospital, wallet complaints and the patients'
 * own alike, the nearest deadline first; and the hourly sweep that re-reads open wallet complaints (in case a
 * notification never came) and counts the overdue ones for the DisputesOverdue alarm.
 */
import { nextDeadline, type Dispute } from '../../domain/dispute';
import type { Page, PageRequest } from '../../ports/repositories';
import type { PaymentDeps } from '../payments/deps';
import type { PerHospitalDeps } from '../shared/hospitals';
import { syncComplaint } from './sync-complaint';

/** One page of the open disputes, the nearest deadline first. */
export function disputeInbox(deps: Pick<PaymentDeps, 'ledger'>, page: PageRequest): Promise<Page<Dispute>> {
  return deps.ledger.disputes.pageOpen(page);
}

/**
 * Re-reads each open wallet complaint (up to `limit`) and counts the open disputes past their deadline into
 * DisputesOverdue; returns both counts. One complaint that fails to read is logged and left for next time.
 */
export async function sweepDisputes(
  deps: PaymentDeps & PerHospitalDeps,
  limit = 200,
): Promise<{ synced: number; overdue: number }> {
  const { values } = await deps.ledger.disputes.pageOpen({ limit });
  let synced = 0;
  for (const d of values) {
    if (d.source === 'patient' || !d.provider) continue;
    try {
      await syncComplaint(deps, { channel: d.source, complaintId: d.provider.complaintId });
      synced++;
    } catch (error) {
      deps.logger.warn('complaint re-read failed', { disputeId: d.disputeId, error });
    }
  }
  const now = deps.clock.now().toISOString();
  const overdue = (await deps.ledger.disputes.pageOpen({ limit })).values.filter(
    (d) => (nextDeadline(d) ?? now) < now,
  ).length;
  if (overdue > 0) deps.metrics.count('DisputesOverdue', {}, overdue);
  return { synced, overdue };
}
