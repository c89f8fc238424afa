/** The `POST /events/{eventId}/redeliver` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { text } from '../common';
import { EventParams, Delivery } from './schemas';

export const redeliverEvent = defineRoute({
  operationId: 'redeliverEvent',
  method: 'POST',
  path: '/events/{eventId}/redeliver',
  summary: 'Send an event again: to one endpoint, or to every active endpoint subscribed to it',
  tags: ['callbacks'],
  auth: ['staff', 'admin'],
  params: EventParams,
  body: z.strictObject({ endpointId: z.optional(text(1, 64)) }),
  responses: () => ({
    202: {
      description:
        "Queued: delivered within a minute, after the endpoint has had the entity's earlier events.",
      schema: z.object({ eventId: z.string(), deliveries: z.array(Delivery()) }),
    },
    400: { description: 'VALIDATION_FAILED: the endpoint is disabled.' },
    404: { description: 'NOT_FOUND: no such event or endpoint.' },
  }),
});
