/** Scheduled daily after 10:00 (Asia/Shanghai): reconciles yesterday per channel and exports its statements. */
import { appDeps } from '../../lib/config/container';
import { CHANNELS } from '../../lib/domain/ledger/accounts';
import { exportStatement } from '../../lib/usecases/finance/export-statement';
import { statementPorts } from '../../lib/config/statements';
import { reconcile, yesterdayOf } from '../../lib/usecases/finance/reconcile';

/** Runs every channel and both formats; one failure is logged and does not stop the others. */
export const handler = async () => {
  const deps = await appDeps();
  const date = yesterdayOf(deps.clock.now());
  const results: Record<string, unknown> = {};
  for (const channel of CHANNELS.filter((c) => deps.providers[c])) {
    try {
      const run = await reconcile(deps, { date, channel, requestedBy: 'job:finance-daily' });
      results[`reconcile-${channel}`] = { id: run.reconciliationId, ...run.summary };
    } catch (error) {
      deps.logger.error('daily reconciliation failed', { date, channel, error });
      results[`reconcile-${channel}`] = { error: (error as Error).message };
    }
  }
  for (const format of ['csv', 'xlsx'] as const) {
    const { key, totals } = await exportStatement(
      { ...deps, ...statementPorts(deps.config) },
      { date, format },
    );
    results[`statement-${format}`] = { key, ...totals };
  }
  deps.logger.info('finance day closed', { date, results });
  return results;
};
