/** Scheduled: expires authorisations and insurance holds, auto-settles at the cut-off, resumes settlements. */
import { insuredCreditDeps } from '../../lib/config/insured-credit';
import { jobHandler } from '../../lib/http/job';
import { runVisitJobs } from '../../lib/usecases/visits/visit-jobs';

export const handler = jobHandler('visit jobs', ({ deps }) => runVisitJobs(deps), insuredCreditDeps);
