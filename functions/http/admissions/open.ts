/** POST /admissions: the HIS opens an inpatient admission. */
import { appDeps } from '../../../lib/config/container';
import { openAdmission } from '../../../lib/http/contract/admissions/open-admission';
import { httpHandler } from '../../../lib/http/handler';
import { admissionView } from '../../../lib/usecases/admissions/get';
import { openAdmission as open } from '../../../lib/usecases/admissions/open';

export const handler = httpHandler(
  openAdmission,
  async ({ body, deps }) => ({ status: 201, body: admissionView(await open(deps, body)) }),
  appDeps,
);
