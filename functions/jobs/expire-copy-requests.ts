/** Scheduled: copy requests not paid by their deadline expire. */
import { appDeps } from '../../lib/config/container';
import { expireCopyRequests } from '../../lib/usecases/copy-requests/expire';

/** Runs the expiry once and logs what it did. */
export const handler = async () => {
  const deps = await appDeps();
  const result = await expireCopyRequests(deps);
  deps.logger.info('copy requests expired', result);
  return result;
};
