/** The `GET /disputes/{disputeId}` route. */
import { defineRoute } from '../../route';
import { DisputeParams, DisputeView } from './schemas';

export const getDispute = defineRoute({
  operationId: 'getDispute',
  method: 'GET',
  path: '/disputes/{disputeId}',
  summary:
    'A dispute: its conversation, deadlines, refunds and the wallet’s state (a patient sees their own)',
  tags: ['disputes'],
  auth: ['patient', 'staff', 'finance'],
  params: DisputeParams,
  responses: () => ({
    200: { description: 'The dispute.', schema: DisputeView() },
    404: { description: 'NOT_FOUND' },
  }),
});
