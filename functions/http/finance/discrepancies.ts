/** Finance's actions: resolve a discrepancy (audited, balanced postings only), close a channel's day. */
import { discrepancyDeps } from '../../../lib/config/bills';
import { closeFinanceDay as closeFinanceDayRoute } from '../../../lib/http/contract/finance/close-finance-day';
import { resolveDiscrepancy as resolveDiscrepancyRoute } from '../../../lib/http/contract/finance/resolve-discrepancy';
import { httpHandler } from '../../../lib/http/handler';
import { httpRouter } from '../../../lib/http/router';
import { closeDay, resolveDiscrepancy } from '../../../lib/usecases/finance/discrepancies';

export const handler = httpRouter([
  [
    resolveDiscrepancyRoute,
    httpHandler(
      resolveDiscrepancyRoute,
      async ({ params, body, caller, deps }) => ({
        status: 200,
        body: await resolveDiscrepancy(deps, params.discrepancyId, {
          ...body,
          by: `${caller.role}:${caller.sub}`,
        }),
      }),
      discrepancyDeps,
    ),
  ],
  [
    closeFinanceDayRoute,
    httpHandler(
      closeFinanceDayRoute,
      async ({ params, body, caller, deps }) => ({
        status: 200,
        body: await closeDay(deps, {
          date: params.date,
          channel: body.channel,
          by: `${caller.role}:${caller.sub}`,
        }),
      }),
      discrepancyDeps,
    ),
  ],
]);
