/** POST /copy-requests/{id}/shipment: staff record the courier and tracking number of paid copies. */
import { appDeps } from '../../../lib/config/container';
import { shipCopyRequest } from '../../../lib/http/contract/copy-requests/ship-copy-request';
import { httpHandler } from '../../../lib/http/handler';
import { copyRequestView } from '../../../lib/usecases/views';
import { shipCopyRequest as ship } from '../../../lib/usecases/copy-requests/ship';

export const handler = httpHandler(
  shipCopyRequest,
  async ({ params, body, deps }) => ({
    status: 200,
    body: await copyRequestView(await ship(deps, params.id, body), deps.ledger),
  }),
  appDeps,
);
