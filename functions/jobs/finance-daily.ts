/** Scheduled daily after 10:00 (Asia/Shanghai): reconciles yesterday per channel and exports its statements. */
import { billDeps } from '../../lib/config/bills';
import { statementPorts } from '../../lib/config/statements';
import { closeFinanceDay } from '../../lib/usecases/finance/finance-daily';
import { yesterdayOf } from '../../lib/usecases/finance/reconcile';

/** Closes yesterday and logs the outcome of every channel and format. */
export const handler = async () => {
  const deps = await billDeps();
  const date = yesterdayOf(deps.clock.now());
  const results = await closeFinanceDay({ ...deps, ...statementPorts(deps.config) }, date);
  deps.logger.info('finance day closed', { date, results });
  return results;
};
