/** POST /copy-requests/{id}/cancel: cancel before shipping; a paid fee is refunded in full. */
import { patientScope } from '../../../lib/http/auth';
import { providerDeps } from '../../../lib/config/providers';
import { cancelCopyRequest } from '../../../lib/http/contract/copy-requests/cancel-copy-request';
import { httpHandler } from '../../../lib/http/handler';
import { copyRequestView } from '../../../lib/usecases/views';
import { cancelCopyRequest as cancel } from '../../../lib/usecases/copy-requests/cancel';

export const handler = httpHandler(
  cancelCopyRequest,
  async ({ params, body, caller, deps }) => {
    const request = await cancel(deps, params.id, patientScope(caller), body.reason);
    return { status: 200, body: await copyRequestView(request, deps.ledger) };
  },
  providerDeps,
);
