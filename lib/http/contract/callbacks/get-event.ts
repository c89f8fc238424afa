/** The `GET /events/{eventId}` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { EventParams, Event, Delivery } from './schemas';

export const getEvent = defineRoute({
  operationId: 'getEvent',
  method: 'GET',
  path: '/events/{eventId}',
  summary: 'One event, with its deliveries and every attempt',
  tags: ['callbacks'],
  auth: ['staff', 'admin'],
  params: EventParams,
  responses: () => ({
    200: { description: 'The event.', schema: z.object({ ...Event(), deliveries: z.array(Delivery()) }) },
    404: { description: 'NOT_FOUND' },
  }),
});
