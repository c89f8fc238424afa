/** Scheduled: expires authorisations and insurance holds, auto-settles at the cut-off, resumes settlements. */
import { creditDeps } from '../../lib/config/credit';
import { jobHandler } from '../../lib/http/job';
import { runVisitJobs } from '../../lib/usecases/visits/visit-jobs';

export const handler = jobHandler('visit jobs', ({ deps }) => runVisitJobs(deps), creditDeps);
