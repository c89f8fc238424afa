/** Scheduled: expires authorisations and insurance holds, auto-settles at the cut-off, resumes settlements. */
import { creditDeps } from '../../lib/config/credit';
import { runVisitJobs } from '../../lib/usecases/visits/visit-jobs';

/** Runs every visit job once and logs what it did. */
export const handler = async () => {
  const deps = await creditDeps();
  const report = await runVisitJobs(deps);
  deps.logger.info('visit jobs finished', { ...report });
  return report;
};
