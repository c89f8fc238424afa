/** The schemas the callbacks routes share (the routes are one module each, so a function builds its own). */
import * as z from 'zod/mini';
import { DOMAIN_EVENT_TYPES } from '../../../domain/events';
import { int, text, DateTime, described, lazy } from '../common';

export const EndpointParams = z.object({ endpointId: text(1, 64) });

export const EventParams = z.object({ eventId: text(1, 64) });

export const Subscription = z.enum([...DOMAIN_EVENT_TYPES, '*']);

export const Endpoint = lazy(() =>
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

export const Event = lazy(() => ({
  id: z.string(),
  type: z.enum(DOMAIN_EVENT_TYPES),
  createdAt: DateTime(),
  data: z.record(z.string(), z.unknown()),
}));

export const Delivery = lazy(() =>
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
