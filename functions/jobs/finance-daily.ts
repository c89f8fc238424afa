/** Scheduled daily after 10:00 (Asia/Shanghai): reconciles yesterday per channel and exports its statements. */
import { billDeps } from '../../lib/config/bills';
import { statementPorts } from '../../lib/config/statements';
import { jobHandler } from '../../lib/http/job';
import { closeFinanceDay } from '../../lib/usecases/finance/finance-daily';
import { yesterdayOf } from '../../lib/usecases/finance/reconcile';
import { forEachHospital } from '../../lib/usecases/shared/hospitals';

/** Closes yesterday: the outcome of every channel and format. */
export const handler = jobHandler(
  'finance day',
  async ({ deps }) => {
    const date = yesterdayOf(deps.clock.now());
    const ports = statementPorts(deps.config);
    return {
      date,
      results: await forEachHospital(deps, (scoped) => closeFinanceDay({ ...scoped, ...ports }, date)),
    };
  },
  billDeps,
);
