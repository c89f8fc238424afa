/** POST /admissions/{admissionId}/charges: the HIS posts a charge line against the balance. */
import { appDeps } from '../../../lib/config/container';
import { postAdmissionCharge } from '../../../lib/http/contract/admissions/post-charge';
import { httpHandler } from '../../../lib/http/handler';
import { postCharge } from '../../../lib/usecases/admissions/post-charge';

export const handler = httpHandler(
  postAdmissionCharge,
  async ({ params, body, deps }) => ({ status: 201, body: await postCharge(deps, params.admissionId, body) }),
  appDeps,
);
