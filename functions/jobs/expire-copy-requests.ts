/** Scheduled: copy requests not paid by their deadline expire. */
import { providerDeps } from '../../lib/config/providers';
import { jobHandler } from '../../lib/http/job';
import { expireCopyRequests } from '../../lib/usecases/copy-requests/expire-copy-requests';

export const handler = jobHandler(
  'copy-request expiry',
  ({ deps }) => expireCopyRequests(deps),
  providerDeps,
);
