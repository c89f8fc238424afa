/** The disputes' reads: the staff inbox (nearest deadline first) and one dispute (a patient sees their own). */
import { appDeps } from '../../../lib/config/container';
import { patientScope } from '../../../lib/http/auth';
import { getDispute as getDisputeRoute } from '../../../lib/http/contract/disputes/get-dispute';
import { listDisputes as listDisputesRoute } from '../../../lib/http/contract/disputes/list-disputes';
import { httpHandler } from '../../../lib/http/handler';
import { httpRouter } from '../../../lib/http/router';
import { disputeInbox } from '../../../lib/usecases/disputes/inbox';
import { loadDispute } from '../../../lib/usecases/disputes/records';
import { disputeView } from '../../../lib/usecases/views';

export const handler = httpRouter([
  [
    listDisputesRoute,
    httpHandler(
      listDisputesRoute,
      async ({ query, deps }) => {
        const page = await disputeInbox(deps, query);
        const now = deps.clock.now();
        return {
          status: 200,
          body: {
            checkedAt: now.toISOString(),
            items: page.values.map((d) => disputeView(d, now)),
            ...(page.cursor ? { nextCursor: page.cursor } : {}),
          },
        };
      },
      appDeps,
    ),
  ],
  [
    getDisputeRoute,
    httpHandler(
      getDisputeRoute,
      async ({ params, caller, deps }) => {
        const { value } = await loadDispute(deps.ledger, params.disputeId, patientScope(caller));
        return { status: 200, body: disputeView(value, deps.clock.now()) };
      },
      appDeps,
    ),
  ],
]);
