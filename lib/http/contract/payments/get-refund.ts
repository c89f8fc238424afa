/** The `GET /refunds/{refundId}` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { Id } from '../shared';
import { RefundView } from './schemas';

export const getRefund = defineRoute({
  operationId: 'getRefund',
  method: 'GET',
  path: '/refunds/{refundId}',
  summary: 'A refund',
  tags: ['payments'],
  auth: ['patient', 'staff', 'finance'],
  params: z.object({ refundId: Id }),
  responses: () => ({ 200: { description: 'The refund.', schema: RefundView() } }),
});
