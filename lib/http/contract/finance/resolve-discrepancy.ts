/** The `POST /discrepancies/{discrepancyId}/resolve` route. */
import * as z from 'zod/mini';
import { RESOLUTION_ACTIONS } from '../../../domain/discrepancy';
import { defineRoute } from '../../route';
import { described, text } from '../common';
import { Discrepancy, DiscrepancyParams } from './schemas';

export const resolveDiscrepancy = defineRoute({
  operationId: 'resolveDiscrepancy',
  method: 'POST',
  path: '/discrepancies/{discrepancyId}/resolve',
  summary: 'Resolve a discrepancy with a typed action and a note (audited; posts balanced journals only)',
  tags: ['finance'],
  auth: ['finance'],
  params: DiscrepancyParams,
  body: z.strictObject({
    action: described(z.enum(RESOLUTION_ACTIONS), {
      description:
        "matched-late: on the next day's bill (missingAtProvider). refund-at-provider: a refund made at the provider's portal (missingInLedger refund); books the refund. write-off: moves the difference to suspense:reconciliation. re-query: asks the provider and applies its answer.",
    }),
    note: text(1, 500),
  }),
  responses: () => ({
    200: {
      description: 'The discrepancy, RESOLVED, with the resolution and its audit entry.',
      schema: Discrepancy(),
    },
    404: { description: 'NOT_FOUND' },
    409: {
      description:
        "INVALID_STATE: already resolved, an action that does not fit its class, not on the next day's bill, or a re-query answer that contradicts the ledger (recorded in its history; it stays OPEN). BILL_NOT_AVAILABLE: the next day's bill is not published yet.",
    },
  }),
});
