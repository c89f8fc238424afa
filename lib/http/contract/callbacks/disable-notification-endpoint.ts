/** The `POST /notification-endpoints/{endpointId}/disable` route. */
import { defineRoute } from '../../route';
import { EndpointParams, Endpoint } from './schemas';

export const disableNotificationEndpoint = defineRoute({
  operationId: 'disableNotificationEndpoint',
  method: 'POST',
  path: '/notification-endpoints/{endpointId}/disable',
  summary: 'Stop sending to an endpoint (its pending deliveries end FAILED)',
  tags: ['callbacks'],
  auth: ['admin'],
  params: EndpointParams,
  responses: () => ({
    200: { description: 'The endpoint, DISABLED.', schema: Endpoint() },
    404: { description: 'NOT_FOUND' },
    409: { description: 'INVALID_STATE: already disabled.' },
  }),
});
