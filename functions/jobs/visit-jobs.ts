/** Scheduled: expires authorisations and insurance holds, auto-settles at the cut-off, resumes settlements. */
import { insuredCreditDeps } from '../../lib/config/insured-credit';
import { jobHandler } from '../../lib/http/job';
import { forEachHospital } from '../../lib/usecases/shared/hospitals';
import { runVisitJobs } from '../../lib/usecases/visits/visit-jobs';

export const handler = jobHandler(
  'visit jobs',
  ({ deps }) => forEachHospital(deps, (scoped) => runVisitJobs(scoped)),
  insuredCreditDeps,
);
