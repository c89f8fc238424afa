/** The schemas the dispute routes share. */
import * as z from 'zod/mini';
import { DISPUTE_SOURCES, DISPUTE_STATUSES } from '../../../domain/dispute';
import { described, int, DateTime, lazy } from '../common';
import { Id } from '../shared';

export const DisputeParams = z.object({ disputeId: Id });

export const DisputeView = lazy(() =>
  described(
    z.object({
      disputeId: z.string(),
      /** wechatpay / alipay: the patient complained at the wallet (消费者投诉, 交易投诉); patient: to the hospital. */
      source: z.enum(DISPUTE_SOURCES),
      /** OPEN (no reply yet), REPLIED, RESOLVED (completed), CLOSED (ended by the wallet or patient). */
      status: z.enum(DISPUTE_STATUSES),
      paymentId: z.optional(z.string()),
      patientId: z.optional(z.string()),
      outTradeNo: z.optional(z.string()),
      description: z.string(),
      openedAt: DateTime(),
      /** The wallet's published deadlines (or the hospital's promise); `next` applies now. */
      deadlines: z.object({
        replyBy: DateTime(),
        resolveBy: DateTime(),
        next: z.optional(DateTime()),
        overdue: z.optional(z.boolean()),
      }),
      repliedAt: z.optional(DateTime()),
      resolvedAt: z.optional(DateTime()),
      closedAt: z.optional(DateTime()),
      messages: z.array(
        z.object({
          at: DateTime(),
          from: z.enum(['patient', 'staff', 'provider']),
          text: z.string(),
          by: z.optional(z.string()),
        }),
      ),
      refundIds: z.array(z.string()),
      resolution: z.optional(z.object({ by: z.string(), at: DateTime(), note: z.string() })),
      /** The wallet's complaint as last read: its state, how often the patient complained (repeats count). */
      provider: z.optional(
        z.object({
          complaintId: z.string(),
          state: z.string(),
          complaintTimes: int(),
          problemType: z.optional(z.string()),
          requestedRefundFen: z.optional(int()),
          lastAction: z.optional(z.string()),
          syncedAt: DateTime(),
        }),
      ),
      updatedAt: DateTime(),
    }),
    { id: 'Dispute' },
  ),
);
