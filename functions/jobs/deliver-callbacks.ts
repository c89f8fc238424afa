/**
 * Callbacks to the hospital's systems: on each medpay event (EventBridge rule) it queues the event for the
 * subscribed endpoints, and on each run (that rule, and every minute) sends what is due.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { appDeps } from '../../lib/config/container';
import { jobHandler, type Composed, type JobInput } from '../../lib/http/job';
import { deliverDue, fanOut } from '../../lib/usecases/callbacks/deliveries';

/** A medpay event (detail: its eventId and payload), or the schedule's tick. */
type Trigger = EventBridgeEvent<string, { eventId?: string } & Record<string, unknown>>;

export const handler = jobHandler(
  'callbacks',
  async ({ event: trigger, deps }: JobInput<Trigger, Composed<typeof appDeps>>) => {
    let queued = 0;
    if (trigger.source === 'medpay' && typeof trigger.detail.eventId === 'string') {
      const { eventId, ...payload } = trigger.detail;
      queued = await fanOut(deps, { eventId, type: trigger['detail-type'], payload });
    }
    return { queued, ...(await deliverDue(deps)) };
  },
  appDeps,
);
