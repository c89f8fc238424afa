/** The `GET /notification-endpoints/{endpointId}/secret` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { int, DateTime } from '../common';
import { EndpointParams } from './schemas';

export const getNotificationEndpointSecret = defineRoute({
  operationId: 'getNotificationEndpointSecret',
  method: 'GET',
  path: '/notification-endpoints/{endpointId}/secret',
  summary: "An endpoint's signing secret, for the HIS to verify Medpay-Signature",
  tags: ['callbacks'],
  auth: ['admin'],
  params: EndpointParams,
  responses: () => ({
    200: {
      description:
        'The current secret. While previousSecretExpiresAt lies ahead, callbacks carry a second v1 signed with the previous one.',
      schema: z.object({
        endpointId: z.string(),
        secretVersion: int(),
        secret: z.string(),
        previousSecretExpiresAt: z.optional(DateTime()),
      }),
    },
    404: { description: 'NOT_FOUND' },
  }),
});
