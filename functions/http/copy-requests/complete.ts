/** POST /copy-requests/{id}/completion: the copies are made; the fee is fixed and the patient asked to pay. */
import { appDeps } from '../../../lib/config/container';
import { completeCopyRequest } from '../../../lib/http/contract/copy-requests/complete-copy-request';
import { httpHandler } from '../../../lib/http/handler';
import { completeCopyRequest as complete } from '../../../lib/usecases/copy-requests/complete';

export const handler = httpHandler(
  completeCopyRequest,
  async ({ params, body, deps }) => {
    const request = await complete(deps, params.id, body.pages);
    const fee = request.fee as NonNullable<typeof request.fee>;
    return { status: 200, body: { status: request.status, fee, payBy: request.payBy as string } };
  },
  appDeps,
);
