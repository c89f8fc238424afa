/** Scheduled: copy requests not paid by their deadline expire. */
import { providerDeps } from '../../lib/config/providers';
import { expireCopyRequests } from '../../lib/usecases/copy-requests/expire-copy-requests';

/** Runs the expiry once and logs what it did. */
export const handler = async () => {
  const deps = await providerDeps();
  const result = await expireCopyRequests(deps);
  deps.logger.info('copy requests expired', result);
  return result;
};
