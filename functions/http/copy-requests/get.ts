/** GET /copy-requests/{id}: the request with its fee, payment and shipment (patients: their own). */
import { patientScope } from '../../../lib/http/auth';
import { appDeps } from '../../../lib/config/container';
import { getCopyRequest } from '../../../lib/http/contract/copy-requests/get-copy-request';
import { httpHandler } from '../../../lib/http/handler';
import { getCopyRequest as getCopyRequestUseCase } from '../../../lib/usecases/copy-requests/get';

export const handler = httpHandler(
  getCopyRequest,
  async ({ params, caller, deps }) => {
    return { status: 200, body: await getCopyRequestUseCase(deps, params.id, patientScope(caller)) };
  },
  appDeps,
);
