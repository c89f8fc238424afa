/** Scheduled every minute: publishes outbox events (EventBridge on AWS, the log locally). */
import { relayDeps } from '../../lib/config/event-bus';
import { relayOutbox } from '../../lib/usecases/events/relay-outbox';

export const handler = async () => {
  const deps = await relayDeps();
  const result = await relayOutbox(deps);
  deps.logger.info('outbox relayed', result);
  return result;
};
