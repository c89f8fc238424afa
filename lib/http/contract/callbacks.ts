/**
 * Callbacks to the hospital's systems (HIS): endpoints (admin), and the event log a HIS catches up from.
 * Each callback is a POST of `{id,type,createdAt,data}` with Medpay-Signature, Medpay-Event-Id and
 * Medpay-Event-Type (README "Callbacks to the HIS").
 */
import * as z from 'zod/mini';
import { DOMAIN_EVENT_TYPES } from '../../domain/events';
import { defineRoute } from '../route';
import { int, intIn, text, DateTime, described, PageLimit, lazy } from './common';

const EndpointParams = z.object({ endpointId: text(1, 64) });
const EventParams = z.object({ eventId: text(1, 64) });
const Subscription = z.enum([...DOMAIN_EVENT_TYPES, '*']);

const Endpoint = lazy(() =>
  described(
    z.object({
      endpointId: z.string(),
      url: z.string(),
      events: z.array(Subscription),
      description: z.string(),
      status: z.enum(['ACTIVE', 'DISABLED']),
      secretVersion: int(),
      previousSecretExpiresAt: z.optional(DateTime()),
      createdAt: DateTime(),
      updatedAt: DateTime(),
    }),
    { id: 'NotificationEndpoint' },
  ),
);

const Event = lazy(() => ({
  id: z.string(),
  type: z.enum(DOMAIN_EVENT_TYPES),
  createdAt: DateTime(),
  data: z.record(z.string(), z.unknown()),
}));

const Delivery = lazy(() =>
  described(
    z.object({
      deliveryId: z.string(),
      endpointId: z.string(),
      status: z.enum(['PENDING', 'DELIVERED', 'FAILED']),
      attempts: z.array(
        z.object({
          at: DateTime(),
          httpStatus: z.optional(int()),
          error: z.optional(z.string()),
          durationMs: int(),
        }),
      ),
      nextAttemptAt: z.optional(DateTime()),
      giveUpAt: DateTime(),
      createdAt: DateTime(),
      redeliveredBy: z.optional(z.string()),
    }),
    { id: 'CallbackDelivery' },
  ),
);

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

export const listEvents = defineRoute({
  operationId: 'listEvents',
  method: 'GET',
  path: '/events',
  summary: 'Events after the last one a HIS saw, oldest first (catch up after an outage)',
  tags: ['callbacks'],
  auth: ['staff', 'admin'],
  query: z.strictObject({
    after: z.optional(described(text(1, 64), { description: 'An event id: list the events after it.' })),
    type: z.optional(z.enum(DOMAIN_EVENT_TYPES)),
    limit: PageLimit(),
  }),
  responses: () => ({
    200: {
      description:
        'Up to `limit` events (the last 30 days when `after` is absent). Pass `after` back next time; `hasMore` says to call again now. An event can show up a few seconds after its neighbours: re-read from a little way back and deduplicate by id.',
      schema: z.object({
        items: z.array(z.object(Event())),
        after: z.optional(z.string()),
        hasMore: z.boolean(),
      }),
    },
    400: { description: 'VALIDATION_FAILED: `after` is not an event id, or an unknown type.' },
  }),
});

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
