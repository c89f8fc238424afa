/** The `POST /finance-days/{date}/close` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { defineRoute } from '../../route';
import { DateTime, Day } from '../common';

export const closeFinanceDay = defineRoute({
  operationId: 'closeFinanceDay',
  method: 'POST',
  path: '/finance-days/{date}/close',
  summary: "Close a channel's business day: reconciled, and no discrepancy open",
  tags: ['finance'],
  auth: ['finance'],
  params: z.object({ date: Day() }),
  body: z.strictObject({ channel: z.enum(CHANNELS) }),
  responses: () => ({
    200: {
      description: 'Closed (closing again answers the first close). A closed day is not reconciled again.',
      schema: z.object({
        date: Day(),
        channel: z.enum(CHANNELS),
        closedAt: DateTime(),
        closedBy: z.string(),
        reconciliationId: z.string(),
      }),
    },
    409: {
      description:
        'INVALID_STATE: not reconciled, the last run FAILED, or discrepancies still open (the message names them).',
    },
  }),
});
