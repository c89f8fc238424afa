/** The `POST /notification-endpoints` route. */
import * as z from 'zod/mini';
import { DOMAIN_EVENT_TYPES } from '../../../domain/events';
import { defineRoute } from '../../route';
import { text, described } from '../common';
import { Subscription, Endpoint } from './schemas';

export const createNotificationEndpoint = defineRoute({
  operationId: 'createNotificationEndpoint',
  method: 'POST',
  path: '/notification-endpoints',
  summary: 'Register a HIS endpoint for signed event callbacks',
  tags: ['callbacks'],
  auth: ['admin'],
  body: z.strictObject({
    url: described(text(8, 2048), {
      description: 'https (http only on a local stack); no credentials or fragment.',
      example: 'https://his.example-hospital.cn/medpay/events',
    }),
    events: described(
      z.array(Subscription).check(z.minLength(1), z.maxLength(DOMAIN_EVENT_TYPES.length + 1)),
      {
        description: 'Event types to receive, or "*" for all.',
      },
    ),
    description: z.optional(text(0, 200)),
  }),
  responses: () => ({
    201: {
      description:
        'The endpoint, ACTIVE. Read its signing secret with GET /notification-endpoints/{endpointId}/secret.',
      schema: Endpoint(),
    },
    400: {
      description: 'VALIDATION_FAILED: not https, credentials in the URL, unknown or repeated event types.',
    },
  }),
});
