/** The `GET /payments` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { PAYMENT_STATUSES } from '../../../domain/payment';
import { defineRoute } from '../../route';
import { text, Day, paging } from '../common';
import { PaymentView } from './schemas';

export const searchPayments = defineRoute({
  operationId: 'searchPayments',
  method: 'GET',
  path: '/payments',
  summary: "Find payments by the HIS reference or list a business day's, page by page",
  tags: ['payments'],
  auth: ['patient', 'staff', 'finance'],
  query: z.strictObject({
    referenceId: z.optional(text(1, 64)),
    date: z.optional(Day()),
    status: z.optional(z.enum(PAYMENT_STATUSES)),
    channel: z.optional(z.enum(CHANNELS)),
    patientId: z.optional(text(1, 64)),
    ...paging(),
  }),
  responses: () => ({
    200: {
      description:
        'One page, oldest first (by creation for a day, by payment id for a reference). Follow `nextCursor` until it is absent; a page may hold fewer than `limit` when filters drop some. Patients see only their own.',
      schema: z.object({ items: z.array(PaymentView()), nextCursor: z.optional(z.string()) }),
    },
    400: {
      description:
        'VALIDATION_FAILED: neither referenceId nor date, a bad filter, or a cursor of another search.',
    },
  }),
});
