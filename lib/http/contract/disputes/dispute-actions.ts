/** Staff's steps on a dispute: reply, refund, complete; each reaches the wallet first for a wallet complaint. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { text } from '../common';
import { AmountFen } from '../shared';
import { RefundView } from '../payments/schemas';
import { DisputeParams, DisputeView } from './schemas';

const refused = {
  description:
    'VALIDATION_FAILED: a bad body, or the wallet refused the step (its code is named; nothing was recorded).',
};
const notOpen = { description: 'INVALID_STATE: the dispute is no longer open.' };

export const replyDispute = defineRoute({
  operationId: 'replyDispute',
  method: 'POST',
  path: '/disputes/{disputeId}/reply',
  summary: 'Answer the patient (WeChat 回复用户, Alipay 商家留言回复 for a wallet complaint)',
  tags: ['disputes'],
  auth: ['staff', 'finance'],
  params: DisputeParams,
  // WeChat's response_content takes at most 500 characters.
  body: z.strictObject({ message: text(1, 500) }),
  responses: () => ({
    200: { description: 'The dispute, REPLIED, with the message.', schema: DisputeView() },
    400: refused,
    404: { description: 'NOT_FOUND' },
    409: notOpen,
  }),
});

export const refundDispute = defineRoute({
  operationId: 'refundDispute',
  method: 'POST',
  path: '/disputes/{disputeId}/refund',
  summary: 'Refund within a dispute: a real refund of its payment, linked to it (WeChat approves it first)',
  tags: ['disputes'],
  auth: ['staff', 'finance'],
  params: DisputeParams,
  body: z.strictObject({ amountFen: AmountFen }),
  responses: () => ({
    201: {
      description: 'The dispute with the refund linked, and the refund (PROCESSING, SUCCEEDED or FAILED).',
      schema: z.object({ dispute: DisputeView(), refund: RefundView() }),
    },
    400: refused,
    404: { description: 'NOT_FOUND' },
    409: {
      description:
        'INVALID_STATE: the dispute is no longer open, names an order medpay did not make, or the payment cannot be refunded.',
    },
    422: { description: 'AMOUNT_EXCEEDS_REFUNDABLE' },
  }),
});

export const completeDispute = defineRoute({
  operationId: 'completeDispute',
  method: 'POST',
  path: '/disputes/{disputeId}/complete',
  summary: 'Complete a dispute (WeChat 反馈处理完成, Alipay 商家处理交易投诉 for a wallet complaint)',
  tags: ['disputes'],
  auth: ['staff', 'finance'],
  params: DisputeParams,
  // Alipay's feedback_content takes at most 200 characters.
  body: z.strictObject({ note: text(1, 200) }),
  responses: () => ({
    200: { description: 'The dispute, RESOLVED.', schema: DisputeView() },
    400: refused,
    404: { description: 'NOT_FOUND' },
    409: notOpen,
  }),
});
