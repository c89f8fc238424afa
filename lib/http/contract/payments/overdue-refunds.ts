/** The `GET /overdue-refunds` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { DateTime } from '../common';
import { RefundView } from './schemas';

export const listOverdueRefunds = defineRoute({
  operationId: 'listOverdueRefunds',
  method: 'GET',
  path: '/overdue-refunds',
  summary:
    "Finance's to-do list: refunds still on their way past their expected arrival, oldest promise first",
  tags: ['payments'],
  auth: ['staff', 'finance'],
  responses: () => ({
    200: {
      description: 'Each overdue refund with its progress; `checkedAt` is when the list was made.',
      schema: z.object({ checkedAt: DateTime(), items: z.array(RefundView()) }),
    },
  }),
});
