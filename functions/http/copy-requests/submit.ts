/** POST /copy-requests: submit a copy-and-courier request (nothing is paid now). */
import { patientFor } from '../../../lib/http/auth';
import { appDeps } from '../../../lib/config/container';
import { submitCopyRequest } from '../../../lib/http/contract/copy-requests/submit-copy-request';
import { httpHandler } from '../../../lib/http/handler';
import { submitCopyRequest as submit } from '../../../lib/usecases/copy-requests/submit';

export const handler = httpHandler(
  submitCopyRequest,
  async ({ body, caller, deps, requestKey }) => {
    const patientId = patientFor(caller, body.patientId);
    const request = await submit(deps, { ...body, patientId, requestKey });
    return { status: 201, body: { copyRequestId: request.copyRequestId, status: 'SUBMITTED' as const } };
  },
  appDeps,
);
