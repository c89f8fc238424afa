/** /events (staff, admin): the event log a HIS catches up from, one event's deliveries, and redelivery. */
import { appDeps } from '../../../lib/config/container';
import { getEvent as getEventRoute } from '../../../lib/http/contract/callbacks/get-event';
import { listEvents as listEventsRoute } from '../../../lib/http/contract/callbacks/list-events';
import { redeliverEvent as redeliverEventRoute } from '../../../lib/http/contract/callbacks/redeliver-event';
import { httpHandler } from '../../../lib/http/handler';
import { httpRouter } from '../../../lib/http/router';
import { getEvent, listEvents, redeliverEvent } from '../../../lib/usecases/callbacks/events';

export const handler = httpRouter([
  [
    listEventsRoute,
    httpHandler(
      listEventsRoute,
      async ({ query, deps }) => ({ status: 200, body: await listEvents(deps, query) }),
      appDeps,
    ),
  ],
  [
    getEventRoute,
    httpHandler(
      getEventRoute,
      async ({ params, deps }) => ({ status: 200, body: await getEvent(deps, params.eventId) }),
      appDeps,
    ),
  ],
  [
    redeliverEventRoute,
    httpHandler(
      redeliverEventRoute,
      async ({ params, body, caller, deps, requestKey }) => ({
        status: 202,
        body: await redeliverEvent(deps, params.eventId, {
          ...body,
          requestedBy: `${caller.role}:${caller.sub}`,
          requestKey,
        }),
      }),
      appDeps,
    ),
  ],
]);
