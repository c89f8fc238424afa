/** Scheduled every minute: publishes outbox events (EventBridge on AWS, the log locally). */
import { appDeps } from '../../lib/config/container';
import { relayOutbox } from '../../lib/usecases/events/relay-outbox';

export const handler = async () => {
  const deps = await appDeps();
  const result = await relayOutbox(deps);
  deps.logger.info('outbox relayed', result);
  return result;
};
