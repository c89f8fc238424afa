/** Payment and refund routes (API.md, Payments). */
import { z } from 'zod';
import { CHANNELS } from '../../domain/ledger/accounts';
import { fen } from '../../domain/money';
import { MAX_PAYMENT_FEN, PAYMENT_PURPOSES, PAYMENT_STATUSES, REFUND_STATUSES } from '../../domain/payment';
import { defineRoute } from '../route';

/** A request amount: integer fen, 1 to 10^10, entering as the domain's branded Fen (no cast downstream). */
export const AmountFen = z
  .number()
  .int()
  .min(1)
  .max(MAX_PAYMENT_FEN)
  .transform((v) => fen(v))
  .meta({ description: 'Integer fen, 1 to 10^10.', example: 2500 });
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/);
export const Payer = z.union([
  z.object({ alipayUserId: z.string().min(1).max(64) }).strict(),
  z.object({ wechatOpenId: z.string().min(1).max(128) }).strict(),
]);

/** `POST /payments` body. */
export const CreatePaymentBody = z
  .object({
    channel: z.enum(CHANNELS),
    purpose: z.enum(PAYMENT_PURPOSES),
    referenceId: z.string().min(1).max(64),
    amountFen: AmountFen,
    description: z.string().min(1).max(127),
    payer: Payer.optional(),
    /** `qr` for kiosks (WeChat native / Alipay precreate); default `mini-program`. */
    mode: z.enum(['mini-program', 'qr']).default('mini-program'),
    /** Staff only: the patient the payment belongs to (patients always pay for themselves). */
    patientId: Id.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.mode === 'mini-program' && !b.payer)
      ctx.addIssue({
        code: 'custom',
        path: ['payer'],
        message: 'payer is required for a mini-program payment',
      });
    if (b.payer && b.channel === 'alipay' && !('alipayUserId' in b.payer))
      ctx.addIssue({ code: 'custom', path: ['payer'], message: 'alipay needs payer.alipayUserId' });
    if (b.payer && b.channel === 'wechatpay' && !('wechatOpenId' in b.payer))
      ctx.addIssue({ code: 'custom', path: ['payer'], message: 'wechatpay needs payer.wechatOpenId' });
  });

const RefundView = z
  .object({
    refundId: z.string(),
    paymentId: z.string(),
    amountFen: z.number().int(),
    status: z.enum(REFUND_STATUSES),
    outRefundNo: z.string(),
    reason: z.string(),
    createdAt: z.string(),
    succeededAt: z.string().optional(),
  })
  .meta({ id: 'Refund' });

const PaymentView = z
  .object({
    paymentId: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    channel: z.enum(CHANNELS),
    purpose: z.enum(PAYMENT_PURPOSES),
    referenceId: z.string(),
    amountFen: z.number().int(),
    outTradeNo: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    paidAt: z.string().optional(),
    refundedFen: z.number().int(),
    refunds: z.array(RefundView),
  })
  .meta({ id: 'Payment' });

const PaymentParams = z.object({ paymentId: Id });

export const createPayment = defineRoute({
  operationId: 'createPayment',
  method: 'POST',
  path: '/payments',
  summary: 'Create a payment and its provider order',
  tags: ['payments'],
  auth: ['patient', 'staff'],
  body: CreatePaymentBody,
  responses: {
    201: {
      description: 'Created; `clientParams` is what the mini-program (or kiosk) needs to pay.',
      schema: z.object({
        paymentId: z.string(),
        status: z.literal('PENDING'),
        channel: z.enum(CHANNELS),
        amountFen: z.number().int(),
        outTradeNo: z.string(),
        expiresAt: z.string(),
        clientParams: z.record(z.string(), z.string()),
      }),
    },
  },
});

export const getPayment = defineRoute({
  operationId: 'getPayment',
  method: 'GET',
  path: '/payments/{paymentId}',
  summary: 'A payment with its refunds',
  tags: ['payments'],
  auth: ['patient', 'staff', 'finance', 'admin'],
  params: PaymentParams,
  responses: { 200: { description: 'The payment.', schema: PaymentView }, 404: { description: 'NOT_FOUND' } },
});

export const closePayment = defineRoute({
  operationId: 'closePayment',
  method: 'POST',
  path: '/payments/{paymentId}/close',
  summary: 'Close an unpaid payment, at the provider too',
  tags: ['payments'],
  auth: ['patient', 'staff'],
  params: PaymentParams,
  responses: { 200: { description: 'CLOSED, or PAID if the patient paid meanwhile.', schema: PaymentView } },
});

export const refundPayment = defineRoute({
  operationId: 'refundPayment',
  method: 'POST',
  path: '/payments/{paymentId}/refunds',
  summary: 'Refund a payment, fully or partly',
  tags: ['payments'],
  auth: ['patient', 'staff'],
  params: PaymentParams,
  body: z.object({ amountFen: AmountFen, reason: z.string().min(1).max(80) }).strict(),
  responses: { 201: { description: 'The refund (PROCESSING, SUCCEEDED or FAILED).', schema: RefundView } },
});

export const getRefund = defineRoute({
  operationId: 'getRefund',
  method: 'GET',
  path: '/refunds/{refundId}',
  summary: 'A refund',
  tags: ['payments'],
  auth: ['patient', 'staff', 'finance', 'admin'],
  params: z.object({ refundId: Id }),
  responses: { 200: { description: 'The refund.', schema: RefundView } },
});

const BulkItem = z.object({
  paymentId: z.string(),
  referenceId: z.string(),
  patientId: z.string(),
  amountFen: z.number().int(),
  status: z.enum(['REFUNDED', 'REFUND_PROCESSING', 'FAILED', 'SKIPPED']),
  refundId: z.string().optional(),
  detail: z.string().optional(),
});

export const bulkRefund = defineRoute({
  operationId: 'bulkRefund',
  method: 'POST',
  path: '/refunds/bulk',
  summary: "Refund every paid payment of these HIS references in full (a doctor's session was suspended)",
  tags: ['payments'],
  auth: ['staff', 'admin'],
  body: z
    .object({
      referenceIds: z.array(z.string().min(1).max(64)).min(1).max(200),
      reason: z.string().min(1).max(80),
      compensation: z
        .object({
          amountFen: z
            .number()
            .int()
            .min(0)
            .max(MAX_PAYMENT_FEN)
            .transform((v) => fen(v)),
        })
        .strict()
        .optional(),
    })
    .strict(),
  responses: {
    202: {
      description: 'The batch; follow it with GET /refunds/bulk/{batchId}.',
      schema: z.object({ batchId: z.string() }),
    },
  },
});

export const getBulkRefund = defineRoute({
  operationId: 'getBulkRefund',
  method: 'GET',
  path: '/refunds/bulk/{batchId}',
  summary: 'Progress and per-payment outcomes of a bulk refund',
  tags: ['payments'],
  auth: ['staff', 'admin', 'finance'],
  params: z.object({ batchId: Id }),
  responses: {
    200: {
      description: 'The batch.',
      schema: z.object({
        batchId: z.string(),
        status: z.enum(['PROCESSING', 'COMPLETED']),
        reason: z.string(),
        referenceIds: z.array(z.string()),
        compensationFen: z.number().int(),
        items: z.array(BulkItem),
        totals: z.object({
          refundedFen: z.number().int(),
          compensationFen: z.number().int(),
          payments: z.number().int(),
        }),
      }),
    },
  },
});
