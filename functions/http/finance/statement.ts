/** GET /statements/{date}: exports the day's statement to the file store and redirects to it. */
import { appDeps } from '../../../lib/config/container';
import { getStatement } from '../../../lib/http/contract/finance/get-statement';
import { httpHandler } from '../../../lib/http/handler';
import { exportStatement } from '../../../lib/usecases/finance/statement';
import { statementPorts } from '../../../lib/config/statements';

export const handler = httpHandler(
  getStatement,
  async ({ params, query, deps }) => {
    const { url } = await exportStatement(
      { ...deps, ...statementPorts(deps.config) },
      {
        date: params.date,
        channel: query.channel,
        format: query.format,
      },
    );
    return { status: 302, headers: { Location: url, 'Cache-Control': 'no-store' } };
  },
  appDeps,
);
