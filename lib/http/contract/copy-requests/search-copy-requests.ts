/** The `GET /copy-requests` route. */
import * as z from 'zod/mini';
import { COPY_REQUEST_STATUSES } from '../../../domain/copy-request';
import { defineRoute } from '../../route';
import { text, Day, paging } from '../common';
import { CopyRequestView } from './schemas';

export const searchCopyRequests = defineRoute({
  operationId: 'searchCopyRequests',
  method: 'GET',
  path: '/copy-requests',
  summary: "A business day's copy requests (by submission), page by page (patients see only their own)",
  tags: ['copy-requests'],
  auth: ['patient', 'staff', 'finance'],
  query: z.strictObject({
    date: Day(),
    status: z.optional(z.enum(COPY_REQUEST_STATUSES)),
    patientId: z.optional(text(1, 64)),
    ...paging(),
  }),
  responses: () => ({
    200: {
      description:
        'One page, oldest first. Follow `nextCursor` until it is absent; a page may hold fewer than `limit` when filters drop some.',
      schema: z.object({ items: z.array(CopyRequestView()), nextCursor: z.optional(z.string()) }),
    },
    400: {
      description: 'VALIDATION_FAILED: no or malformed date, unknown status, or a cursor of another search.',
    },
  }),
});
