/** Scheduled every minute: publishes outbox events (EventBridge on AWS, the log locally). */
import { relayDeps } from '../../lib/config/event-bus';
import { jobHandler } from '../../lib/http/job';
import { relayOutbox } from '../../lib/usecases/events/relay-outbox';
import { forEachHospital } from '../../lib/usecases/shared/hospitals';

export const handler = jobHandler(
  'outbox relay',
  ({ deps }) => forEachHospital(deps, (scoped) => relayOutbox(scoped)),
  relayDeps,
);
