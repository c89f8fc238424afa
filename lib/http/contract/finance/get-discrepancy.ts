/** The `GET /discrepancies/{discrepancyId}` route. */
import { defineRoute } from '../../route';
import { Discrepancy, DiscrepancyParams } from './schemas';

export const getDiscrepancy = defineRoute({
  operationId: 'getDiscrepancy',
  method: 'GET',
  path: '/discrepancies/{discrepancyId}',
  summary: 'One discrepancy with its audit trail',
  tags: ['finance'],
  auth: ['finance'],
  params: DiscrepancyParams,
  responses: () => ({
    200: { description: 'The discrepancy.', schema: Discrepancy() },
    404: { description: 'NOT_FOUND' },
  }),
});
