/** Scheduled every minute: publishes outbox events (EventBridge on AWS, the log locally). */
import { relayDeps } from '../../lib/config/event-bus';
import { jobHandler } from '../../lib/http/job';
import { relayOutbox } from '../../lib/usecases/events/relay-outbox';

export const handler = jobHandler('outbox relay', ({ deps }) => relayOutbox(deps), relayDeps);
