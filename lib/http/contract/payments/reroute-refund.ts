/** The `POST /refunds/{refundId}/reroute` route. */
import * as z from 'zod/mini';
import { REROUTE_BANKS, REROUTE_TYPES } from '../../../domain/refund-progress';
import { defineRoute } from '../../route';
import { text } from '../common';
import { Id } from '../shared';
import { RefundView } from './schemas';

/** Where staff send an ABNORMAL refund (WeChat apply-abnormal-refund); the card and name are never stored. */
export const RerouteBody = z.strictObject({
  /** USER_BANK_CARD: the patient's debit card; MERCHANT_BANK_CARD: the hospital's account (finance pays out). */
  type: z.enum(REROUTE_TYPES),
  /** USER_BANK_CARD: one of the 15 banks WeChat takes (bank_type). */
  bankType: z.optional(z.enum(REROUTE_BANKS)),
  bankAccount: z.optional(text(12, 30).check(z.regex(/^\d+$/, 'digits only'))),
  realName: z.optional(text(1, 64)),
});

export const rerouteRefund = defineRoute({
  operationId: 'rerouteRefund',
  method: 'POST',
  path: '/refunds/{refundId}/reroute',
  summary: 'Send an ABNORMAL refund on: to the patient’s debit card, or to the hospital’s account',
  tags: ['payments'],
  auth: ['staff', 'finance'],
  params: z.object({ refundId: Id }),
  body: RerouteBody,
  responses: () => ({
    200: { description: 'The refund, re-routed (usually PROCESSING, then SUCCEEDED).', schema: RefundView() },
    400: {
      description:
        'VALIDATION_FAILED: USER_BANK_CARD without bankType, bankAccount or realName, or WeChat refused the card.',
    },
    404: { description: 'NOT_FOUND' },
    409: {
      description: 'INVALID_STATE: the refund is not ABNORMAL, was re-routed already, or is not WeChat’s.',
    },
  }),
});
