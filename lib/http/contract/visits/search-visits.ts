/** The `GET /visits` route. */
import * as z from 'zod/mini';
import { VISIT_STATUSES } from '../../../domain/visit';
import { defineRoute } from '../../route';
import { text, Day, paging } from '../common';
import { VisitView } from './schemas';

export const searchVisits = defineRoute({
  operationId: 'searchVisits',
  method: 'GET',
  path: '/visits',
  summary: "A business day's pay-later visits, page by page (patients see only their own)",
  tags: ['visits'],
  auth: ['patient', 'staff', 'finance'],
  query: z.strictObject({
    date: Day(),
    status: z.optional(z.enum(VISIT_STATUSES)),
    patientId: z.optional(text(1, 64)),
    ...paging(),
  }),
  responses: () => ({
    200: {
      description:
        'One page, oldest first (by opening). Follow `nextCursor` until it is absent; a page may hold fewer than `limit` when filters drop some.',
      schema: z.object({ items: z.array(VisitView()), nextCursor: z.optional(z.string()) }),
    },
    400: {
      description: 'VALIDATION_FAILED: no or malformed date, unknown status, or a cursor of another search.',
    },
  }),
});
