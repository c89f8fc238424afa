/** Scheduled: expires authorisations and insurance holds, auto-settles at the cut-off, resumes settlements. */
import { providerDeps } from '../../lib/config/providers';
import { runVisitJobs } from '../../lib/usecases/visits/jobs';

/** Runs every visit job once and logs what it did. */
export const handler = async () => {
  const deps = await providerDeps();
  const report = await runVisitJobs(deps);
  deps.logger.info('visit jobs finished', { ...report });
  return report;
};
