/** The `GET /copy-requests/{id}` route. */
import { defineRoute } from '../../route';
import { Params, CopyRequestView } from './schemas';

export const getCopyRequest = defineRoute({
  operationId: 'getCopyRequest',
  method: 'GET',
  path: '/copy-requests/{id}',
  summary: 'A copy request with its fee, payment and shipment',
  tags: ['copy-requests'],
  auth: ['patient', 'staff', 'finance'],
  params: Params,
  responses: () => ({
    200: { description: 'The request.', schema: CopyRequestView() },
    404: { description: 'NOT_FOUND' },
  }),
});
