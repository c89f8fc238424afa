/**
 * Callbacks to the hospital's systems: on each medpay event (EventBridge rule) it queues the event for the
 * subscribed endpoints, and on each run (that rule, and every minute) sends what is due.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { appDeps } from '../../lib/config/container';
import { jobHandler, type Composed, type JobInput } from '../../lib/http/job';
import { deliverDue, fanOut } from '../../lib/usecases/callbacks/deliveries';
import { forEachHospital } from '../../lib/usecases/shared/hospitals';

/** A medpay event (detail: its eventId and payload), or the schedule's tick. */
type Trigger = EventBridgeEvent<string, { eventId?: string } & Record<string, unknown>>;

export const handler = jobHandler(
  'callbacks',
  async ({ event: trigger, deps }: JobInput<Trigger, Composed<typeof appDeps>>) => {
    // An event queues and sends its own hospital's callbacks; the schedule's tick sends every hospital's.
    if (trigger.source === 'medpay' && typeof trigger.detail.eventId === 'string') {
      const { eventId, hospitalId, ...payload } = trigger.detail;
      const scoped = await deps.inHospital(
        deps,
        typeof hospitalId === 'string' ? hospitalId : deps.hospitalId,
      );
      const queued = await fanOut(scoped, { eventId, type: trigger['detail-type'], payload });
      return { queued, ...(await deliverDue(scoped)) };
    }
    return { queued: 0, sent: await forEachHospital(deps, (scoped) => deliverDue(scoped)) };
  },
  appDeps,
);
