/** The `GET /admissions/{admissionId}/charges` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { paging } from '../common';
import { AdmissionChargeView, AdmissionParams } from './schemas';

export const listAdmissionCharges = defineRoute({
  operationId: 'listAdmissionCharges',
  method: 'GET',
  path: '/admissions/{admissionId}/charges',
  summary: "The admission's charge lines, in the order they were posted, page by page",
  tags: ['admissions'],
  auth: ['patient', 'staff', 'finance'],
  params: AdmissionParams,
  query: z.strictObject(paging()),
  responses: () => ({
    200: {
      description: 'One page; follow `nextCursor` until it is absent (patients: their own admission).',
      schema: z.object({ items: z.array(AdmissionChargeView()), nextCursor: z.optional(z.string()) }),
    },
    400: { description: 'VALIDATION_FAILED: a cursor of another list.' },
    404: { description: 'NOT_FOUND' },
  }),
});
