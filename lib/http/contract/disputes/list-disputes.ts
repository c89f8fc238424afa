/** The `GET /disputes` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { DateTime, paging } from '../common';
import { DisputeView } from './schemas';

export const listDisputes = defineRoute({
  operationId: 'listDisputes',
  method: 'GET',
  path: '/disputes',
  summary:
    'The staff inbox: every open dispute (wallet complaints and the patients’ own), nearest deadline first',
  tags: ['disputes'],
  auth: ['staff', 'finance'],
  query: z.strictObject({ ...paging() }),
  responses: () => ({
    200: {
      description:
        'One page; follow `nextCursor` until it is absent. `checkedAt` is when `overdue` was judged.',
      schema: z.object({
        checkedAt: DateTime(),
        items: z.array(DisputeView()),
        nextCursor: z.optional(z.string()),
      }),
    },
    400: { description: 'VALIDATION_FAILED: a bad limit, or a cursor of another list.' },
  }),
});
