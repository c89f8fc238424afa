/** POST /copy-requests/{id}/delivery: staff, or the courier's signed callback, confirm delivery. */
import { appDeps } from '../../../lib/config/container';
import { deliverCopyRequest } from '../../../lib/http/contract/copy-requests/deliver-copy-request';
import { httpHandler } from '../../../lib/http/handler';
import { copyRequestView } from '../../../lib/usecases/views';
import { deliverCopyRequest as deliver } from '../../../lib/usecases/copy-requests/deliver';

export const handler = httpHandler(
  deliverCopyRequest,
  async ({ params, caller, deps }) => ({
    status: 200,
    body: await copyRequestView(await deliver(deps, params.id, `${caller.role}:${caller.sub}`), deps.ledger),
  }),
  appDeps,
);
