/** The `GET /events` route. */
import * as z from 'zod/mini';
import { DOMAIN_EVENT_TYPES } from '../../../domain/events';
import { defineRoute } from '../../route';
import { text, described, PageLimit } from '../common';
import { Event } from './schemas';

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
