/** Scheduled: copy requests not paid by their deadline expire. */
import { providerDeps } from '../../lib/config/providers';
import { jobHandler } from '../../lib/http/job';
import { expireCopyRequests } from '../../lib/usecases/copy-requests/expire-copy-requests';
import { forEachHospital } from '../../lib/usecases/shared/hospitals';

export const handler = jobHandler(
  'copy-request expiry',
  ({ deps }) => forEachHospital(deps, (scoped) => expireCopyRequests(scoped)),
  providerDeps,
);
