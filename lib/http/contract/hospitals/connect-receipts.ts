/** The `POST /hospitals/{hospitalId}/receipts` route. */
import { defineRoute } from '../../route';
import { Hospital, HospitalParams, HospitalReceiptsBody } from './schemas';

export const connectReceipts = defineRoute({
  operationId: 'connectReceipts',
  method: 'POST',
  path: '/hospitals/{hospitalId}/receipts',
  summary: "Connect the hospital's fiscal e-receipt platform account (platform operator)",
  tags: ['hospitals'],
  auth: ['operator'],
  params: HospitalParams,
  body: HospitalReceiptsBody(),
  responses: () => ({
    200: {
      description: 'The hospital: its settled payments and visits now get receipts from this account.',
      schema: Hospital(),
    },
    400: {
      description:
        "VALIDATION_FAILED: a field is missing or malformed, or the hospital's signing key is not in the parameter store yet.",
    },
    404: { description: 'NOT_FOUND: no hospital of that id is registered.' },
  }),
});
