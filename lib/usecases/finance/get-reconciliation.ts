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
import { CHANNELS, type Channel } from '../../domain/ledger/accounts';
import type { Reconciliation } from '../../domain/finance';
import { loadReconciliation } from './reconcile';

/** The reconciliation run's view. */
export async function getReconciliation(deps: Pick<PaymentDeps, 'ledger'>, reconciliationId: string) {
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

/** A day's runs of each channel (or one), newest first, optionally of one status; and whether the day is closed. */
export async function listReconciliations(
  deps: Pick<PaymentDeps, 'ledger'>,
  query: { date: string; channel?: Channel; status?: Reconciliation['status'] },
) {
  const items = [];
  const days = [];
  for (const channel of query.channel ? [query.channel] : CHANNELS) {
    for await (const r of deps.ledger.reconciliations.runsOfDay(channel, query.date)) {
      if (query.status && r.status !== query.status) continue;
      items.push({
        reconciliationId: r.reconciliationId,
        date: r.date,
        channel: r.channel,
        status: r.status,
        summary: reconciliationSummary(r.summary),
        ...(r.previousReconciliationId ? { previousReconciliationId: r.previousReconciliationId } : {}),
        createdAt: r.createdAt,
      });
    }
    const day = (await deps.ledger.reconciliations.day(channel, query.date))?.value;
    if (day)
      days.push({
        channel,
        date: query.date,
        latestReconciliationId: day.reconciliationId,
        ...(day.closedAt ? { closedAt: day.closedAt, closedBy: day.closedBy ?? '' } : {}),
      });
  }
  items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { items, days };
}
