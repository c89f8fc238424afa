/** Payment and refund routes (API.md, Payments). */
import * as z from 'zod/mini';
import { CHANNELS } from '../../domain/ledger/accounts';
import { PAYMENT_PURPOSES, PAYMENT_STATUSES, REFUND_STATUSES } from '../../domain/payment';
import { defineRoute } from '../route';
import { described, int, text, DateTime, Day, paging, lazy } from './common';
import { AmountFen, CreatedPayment, Id, Payer, fenFrom, payerMatchesChannel } from './shared';

/** `POST /payments` body. */
export const CreatePaymentBody = z
  .strictObject({
    channel: z.enum(CHANNELS),
    purpose: z.enum(PAYMENT_PURPOSES),
    referenceId: text(1, 64),
    amountFen: AmountFen,
    description: text(1, 127),
    payer: z.optional(Payer),
    /** `qr` for kiosks (WeChat native / Alipay precreate); default `mini-program`. */
    mode: z._default(z.enum(['mini-program', 'qr']), 'mini-program'),
    /** Staff only: the patient the payment belongs to (patients always pay for themselves). */
    patientId: z.optional(Id),
  })
  .check((ctx) => {
    if (ctx.value.mode === 'mini-program' && !ctx.value.payer)
      ctx.issues.push({
        code: 'custom',
        path: ['payer'],
        message: 'payer is required for a mini-program payment',
        input: ctx.value,
      });
    payerMatchesChannel(ctx.value, ctx.issues);
  });

const RefundView = lazy(() =>
  described(
    z.object({
      refundId: z.string(),
      paymentId: z.string(),
      amountFen: int(),
      status: z.enum(REFUND_STATUSES),
      outRefundNo: z.string(),
      reason: z.string(),
      createdAt: DateTime(),
      succeededAt: z.optional(DateTime()),
    }),
    { id: 'Refund' },
  ),
);

const PaymentView = lazy(() =>
  described(
    z.object({
      paymentId: z.string(),
      status: z.enum(PAYMENT_STATUSES),
      channel: z.enum(CHANNELS),
      purpose: z.enum(PAYMENT_PURPOSES),
      referenceId: z.string(),
      amountFen: int(),
      outTradeNo: z.string(),
      createdAt: DateTime(),
      expiresAt: DateTime(),
      paidAt: z.optional(DateTime()),
      refundedFen: int(),
      refunds: z.array(RefundView()),
    }),
    { id: 'Payment' },
  ),
);

const PaymentParams = z.object({ paymentId: Id });

export const createPayment = defineRoute({
  operationId: 'createPayment',
  method: 'POST',
  path: '/payments',
  summary: 'Create a payment and its provider order',
  tags: ['payments'],
  auth: ['patient', 'staff'],
  body: CreatePaymentBody,
  responses: () => ({
    201: {
      description: 'Created; `clientParams` is what the mini-program (or kiosk) needs to pay.',
      schema: CreatedPayment(),
    },
  }),
});

export const searchPayments = defineRoute({
  operationId: 'searchPayments',
  method: 'GET',
  path: '/payments',
  summary: "Find payments by the HIS reference or list a business day's, page by page",
  tags: ['payments'],
  auth: ['patient', 'staff', 'finance'],
  query: z.strictObject({
    referenceId: z.optional(text(1, 64)),
    date: z.optional(Day()),
    status: z.optional(z.enum(PAYMENT_STATUSES)),
    channel: z.optional(z.enum(CHANNELS)),
    patientId: z.optional(text(1, 64)),
    ...paging(),
  }),
  responses: () => ({
    200: {
      description:
        'One page, oldest first (by creation for a day, by payment id for a reference). Follow `nextCursor` until it is absent; a page may hold fewer than `limit` when filters drop some. Patients see only their own.',
      schema: z.object({ items: z.array(PaymentView()), nextCursor: z.optional(z.string()) }),
    },
    400: {
      description:
        'VALIDATION_FAILED: neither referenceId nor date, a bad filter, or a cursor of another search.',
    },
  }),
});

export const getPayment = defineRoute({
  operationId: 'getPayment',
  method: 'GET',
  path: '/payments/{paymentId}',
  summary: 'A payment with its refunds',
  tags: ['payments'],
  auth: ['patient', 'staff', 'finance'],
  params: PaymentParams,
  responses: () => ({
    200: { description: 'The payment.', schema: PaymentView() },
    404: { description: 'NOT_FOUND' },
  }),
});

export const closePayment = defineRoute({
  operationId: 'closePayment',
  method: 'POST',
  path: '/payments/{paymentId}/close',
  summary: 'Close an unpaid payment, at the provider too',
  tags: ['payments'],
  auth: ['patient', 'staff'],
  params: PaymentParams,
  responses: () => ({
    200: { description: 'CLOSED, or PAID if the patient paid meanwhile.', schema: PaymentView() },
  }),
});

export const refundPayment = defineRoute({
  operationId: 'refundPayment',
  method: 'POST',
  path: '/payments/{paymentId}/refunds',
  summary: 'Refund a payment, fully or partly',
  tags: ['payments'],
  auth: ['patient', 'staff'],
  params: PaymentParams,
  body: z.strictObject({ amountFen: AmountFen, reason: text(1, 80) }),
  responses: () => ({
    201: { description: 'The refund (PROCESSING, SUCCEEDED or FAILED).', schema: RefundView() },
  }),
});

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

const BulkItem = lazy(() =>
  z.object({
    paymentId: z.string(),
    referenceId: z.string(),
    patientId: z.string(),
    amountFen: int(),
    status: z.enum(['REFUNDED', 'REFUND_PROCESSING', 'FAILED', 'SKIPPED']),
    refundId: z.optional(z.string()),
    detail: z.optional(z.string()),
  }),
);

export const bulkRefund = defineRoute({
  operationId: 'bulkRefund',
  method: 'POST',
  path: '/refunds/bulk',
  summary: "Refund every paid payment of these HIS references in full (a doctor's session was suspended)",
  tags: ['payments'],
  auth: ['staff'],
  body: z.strictObject({
    referenceIds: z.array(text(1, 64)).check(z.minLength(1), z.maxLength(200)),
    reason: text(1, 80),
    compensation: z.optional(z.strictObject({ amountFen: fenFrom(0) })),
  }),
  responses: () => ({
    202: {
      description: 'The batch; follow it with GET /refunds/bulk/{batchId}.',
      schema: z.object({ batchId: z.string() }),
    },
  }),
});

export const getBulkRefund = defineRoute({
  operationId: 'getBulkRefund',
  method: 'GET',
  path: '/refunds/bulk/{batchId}',
  summary: 'Progress and per-payment outcomes of a bulk refund',
  tags: ['payments'],
  auth: ['staff'],
  params: z.object({ batchId: Id }),
  responses: () => ({
    200: {
      description: 'The batch.',
      schema: z.object({
        batchId: z.string(),
        status: z.enum(['PROCESSING', 'COMPLETED']),
        reason: z.string(),
        referenceIds: z.array(z.string()),
        compensationFen: int(),
        createdAt: DateTime(),
        completedAt: z.optional(DateTime()),
        items: z.array(BulkItem()),
        totals: z.object({
          refundedFen: int(),
          compensationFen: int(),
          payments: int(),
        }),
      }),
    },
  }),
});
