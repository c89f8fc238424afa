/** /events (staff, admin): the event log a HIS catches up from, one event's deliveries, and redelivery. */
import { appDeps } from '../../../lib/config/container';
import * as contract from '../../../lib/http/contract/callbacks';
import { httpHandler } from '../../../lib/http/handler';
import { httpRouter } from '../../../lib/http/router';
import { getEvent, listEvents, redeliverEvent } from '../../../lib/usecases/callbacks/events';

export const handler = httpRouter([
  [
    contract.listEvents,
    httpHandler(
      contract.listEvents,
      async ({ query, deps }) => ({ status: 200, body: await listEvents(deps, query) }),
      appDeps,
    ),
  ],
  [
    contract.getEvent,
    httpHandler(
      contract.getEvent,
      async ({ params, deps }) => ({ status: 200, body: await getEvent(deps, params.eventId) }),
      appDeps,
    ),
  ],
  [
    contract.redeliverEvent,
    httpHandler(
      contract.redeliverEvent,
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
