/** The `GET /discrepancies` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { defineRoute } from '../../route';
import { Day, paging } from '../common';
import { Discrepancy } from './schemas';

export const listDiscrepancies = defineRoute({
  operationId: 'listDiscrepancies',
  method: 'GET',
  path: '/discrepancies',
  summary: "Finance's to-do list: discrepancies by status (OPEN by default), oldest day first",
  tags: ['finance'],
  auth: ['finance'],
  query: z.strictObject({
    status: z._default(z.enum(['OPEN', 'RESOLVED']), 'OPEN'),
    date: z.optional(Day()),
    channel: z.optional(z.enum(CHANNELS)),
    ...paging(),
  }),
  responses: () => ({
    200: {
      description:
        'One page; follow `nextCursor` until it is absent (a page may hold fewer than `limit` when date or channel filter some out).',
      schema: z.object({ items: z.array(Discrepancy()), nextCursor: z.optional(z.string()) }),
    },
    400: { description: 'VALIDATION_FAILED: a bad filter, or a cursor of another search.' },
  }),
});
