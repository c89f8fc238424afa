/**
 * Close a finance day (the daily job): reconcile each configured channel, then export the day's CSV and
 * XLSX statements. One channel's failure is reported and does not stop the others.
 */
import { CHANNELS } from '../../domain/ledger/accounts';
import type { PaymentDeps } from '../payments/deps';
import { exportStatement, type StatementDeps } from './export-statement';
import { reconcile } from './reconcile';

/** Reconciles and exports `date`; returns what happened per channel and per format. */
export async function closeFinanceDay(deps: PaymentDeps & StatementDeps, date: string) {
  const results: Record<string, unknown> = {};
  for (const channel of CHANNELS.filter((c) => deps.providers[c])) {
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
