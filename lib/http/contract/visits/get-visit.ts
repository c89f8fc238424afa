/** The `GET /visits/{visitId}` route. */
import { defineRoute } from '../../route';
import { VisitParams, VisitView } from './schemas';

export const getVisit = defineRoute({
  operationId: 'getVisit',
  method: 'GET',
  path: '/visits/{visitId}',
  summary: 'A visit with its tab, charges, insurance and settlement',
  tags: ['visits'],
  auth: ['patient', 'staff', 'finance'],
  params: VisitParams,
  responses: () => ({
    200: { description: 'The visit.', schema: VisitView() },
    404: { description: 'NOT_FOUND' },
  }),
});
