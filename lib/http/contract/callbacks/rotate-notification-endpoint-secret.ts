/** The `POST /notification-endpoints/{endpointId}/rotate-secret` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { intIn, described } from '../common';
import { EndpointParams, Endpoint } from './schemas';

export const rotateNotificationEndpointSecret = defineRoute({
  operationId: 'rotateNotificationEndpointSecret',
  method: 'POST',
  path: '/notification-endpoints/{endpointId}/rotate-secret',
  summary: 'Move an endpoint to a new signing secret; the old one signs alongside for the overlap',
  tags: ['callbacks'],
  auth: ['admin'],
  params: EndpointParams,
  body: z.strictObject({
    overlapSeconds: z._default(
      described(intIn(0, 7 * 86_400), {
        description: 'How long the previous secret still signs (0: not at all).',
      }),
      86_400,
    ),
  }),
  responses: () => ({
    200: { description: 'The endpoint at its new secretVersion.', schema: Endpoint() },
    404: { description: 'NOT_FOUND' },
    409: { description: 'INVALID_STATE: the endpoint is disabled.' },
  }),
});
