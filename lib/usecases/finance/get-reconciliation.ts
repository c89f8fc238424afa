/**
 * Show a reconciliation run.
 *
 * Primary course:
 *   1. Load the run and its discrepancy lines (NOT_FOUND if unknown).
 *   2. Return its view: summary, the run it follows, the failure if any, and the lines (without the ledger's
 *      internal transaction ids).
 */
import { NotFoundError } from '../../domain/errors';
import type { PaymentDeps } from '../payments/deps';
import { reconciliationSummary } from '../views';
import { loadReconciliation } from './reconcile';

/** The reconciliation run's view. */
export async function getReconciliation(deps: PaymentDeps, reconciliationId: string) {
  const found = await loadReconciliation(deps, reconciliationId);
  if (!found) throw new NotFoundError('Reconciliation', reconciliationId);
  const { report, lines } = found;
  return {
    reconciliationId: report.reconciliationId,
    date: report.date,
    channel: report.channel,
    status: report.status,
    summary: reconciliationSummary(report.summary),
    ...(report.previousReconciliationId ? { previousReconciliationId: report.previousReconciliationId } : {}),
    ...(report.failure ? { failure: report.failure } : {}),
    createdAt: report.createdAt,
    lines: lines.map(({ txnId: _txnId, ...line }) => line),
  };
}
