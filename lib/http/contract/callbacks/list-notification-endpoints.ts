/** The `GET /notification-endpoints` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { Endpoint } from './schemas';

export const listNotificationEndpoints = defineRoute({
  operationId: 'listNotificationEndpoints',
  method: 'GET',
  path: '/notification-endpoints',
  summary: 'Every registered endpoint, oldest first',
  tags: ['callbacks'],
  auth: ['admin'],
  responses: () => ({
    200: { description: 'The endpoints (no secrets).', schema: z.object({ items: z.array(Endpoint()) }) },
  }),
});
