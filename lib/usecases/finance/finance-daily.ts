/**
 * Close a finance day (the daily job).
 *
 *   1. Reconcile each configured channel's day against its provider bill.
 *   2. Export the day's CSV and XLSX statements.
 *   3. Report the outcome per channel and per format; one channel's failure does not stop the others.
 */
import { CHANNELS } from '../../domain/ledger/accounts';
import type { ReconcileDeps } from './reconcile';
import { exportStatement, type StatementDeps } from './statement';
import { reconcile } from './reconcile';

/** Reconciles and exports `date`; returns what happened per channel and per format. */
export async function closeFinanceDay(deps: ReconcileDeps & StatementDeps, date: string) {
  const results: Record<string, unknown> = {};
  for (const channel of CHANNELS.filter((c) => deps.bills[c])) {
    try {
      const run = await reconcile(deps, { date, channel, requestedBy: 'job:finance-daily' });
      results[`reconcile-${channel}`] = { id: run.reconciliationId, ...run.summary };
    } catch (error) {
      results[`reconcile-${channel}`] = { error: (error as Error).message };
    }
  }
  for (const format of ['csv', 'xlsx'] as const) {
    const { key, totals } = await exportStatement(deps, { date, format });
    results[`statement-${format}`] = { key, ...totals };
  }
  return results;
}
