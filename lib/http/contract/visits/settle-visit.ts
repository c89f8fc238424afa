/** The `POST /visits/{visitId}/settle` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { VisitParams, SettlementView } from './schemas';

/** `POST /visits/{visitId}/settle` body (optional). */
export const SettleBody = z.strictObject({
  /** Staff only: settle the whole tab as self-pay although the visit is insured; recorded with who asked. */
  asSelfPay: z._default(z.boolean(), false),
});

export const settleVisit = defineRoute({
  operationId: 'settleVisit',
  method: 'POST',
  path: '/visits/{visitId}/settle',
  summary: 'Settle the visit once: insurance, then the self-pay capture, then release the rest',
  tags: ['visits'],
  auth: ['patient', 'staff'],
  params: VisitParams,
  body: SettleBody,
  bodyOptional: true,
  responses: () => ({
    200: { description: 'SETTLED.', schema: SettlementView() },
    202: {
      description:
        'Accepted and still running (SETTLING: waiting for the patient to authorise insurance, the platform or the capture; PAYMENT_FAILED: retried on schedule).',
      schema: SettlementView(),
    },
    409: { description: 'INVALID_STATE: not authorised yet, or cancelled.' },
  }),
});
