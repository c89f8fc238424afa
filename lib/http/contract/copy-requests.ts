/** Copy-request routes (API.md, Copy requests: fee collected after the copies are made). */
import { z } from 'zod';
import { CHANNELS } from '../../domain/ledger/accounts';
import { COPY_ITEMS, COPY_REQUEST_STATUSES } from '../../domain/copy-request';
import { COURIER } from '../auth';
import { defineRoute } from '../route';
import { Id, Payer } from './payments';

const Params = z.object({ id: Id });
const Fen = z.number().int();

/** `POST /copy-requests` body. */
export const SubmitBody = z
  .object({
    /** Patients submit their own; staff may name the patient. */
    patientId: Id.optional(),
    admissionId: Id,
    items: z.array(z.enum(COPY_ITEMS)).min(1).max(COPY_ITEMS.length),
    copies: z.number().int().min(1).max(10).default(1),
    delivery: z
      .object({
        recipient: z.string().min(1).max(64),
        phone: z.string().regex(/^\+?[0-9-]{6,20}$/),
        address: z.string().min(4).max(200),
        /** For the courier tariff by province, e.g. 广东省. */
        province: z.string().min(2).max(16).optional(),
      })
      .strict(),
  })
  .strict();

const FeeView = z
  .object({
    pages: z.number().int(),
    copies: z.number().int(),
    perPageFen: Fen,
    extraCopyBp: z.number().int(),
    pagesFen: Fen,
    courierFen: Fen,
    province: z.string().optional(),
    totalFen: Fen,
  })
  .meta({ id: 'CopyFee' });

const CopyRequestView = z
  .object({
    copyRequestId: z.string(),
    patientId: z.string(),
    admissionId: z.string(),
    status: z.enum(COPY_REQUEST_STATUSES),
    items: z.array(z.enum(COPY_ITEMS)),
    copies: z.number().int(),
    delivery: z.object({
      recipient: z.string(),
      phone: z.string(),
      address: z.string(),
      province: z.string().optional(),
    }),
    submittedAt: z.string(),
    fee: FeeView.nullable(),
    payBy: z.string().nullable(),
    payment: z
      .object({
        paymentId: z.string(),
        status: z.string(),
        channel: z.enum(CHANNELS),
        amountFen: Fen,
        paidAt: z.string().optional(),
      })
      .nullable(),
    shipment: z.object({ carrier: z.string(), trackingNo: z.string(), shippedAt: z.string() }).nullable(),
    deliveredAt: z.string().optional(),
    cancelledAt: z.string().optional(),
    refundId: z.string().optional(),
  })
  .meta({ id: 'CopyRequest' });

export const submitCopyRequest = defineRoute({
  operationId: 'submitCopyRequest',
  method: 'POST',
  path: '/copy-requests',
  summary: 'Request certified copies with courier delivery; nothing is paid now',
  tags: ['copy-requests'],
  auth: ['patient', 'staff'],
  body: SubmitBody,
  responses: {
    201: {
      description: 'Submitted.',
      schema: z.object({ copyRequestId: z.string(), status: z.literal('SUBMITTED') }),
    },
  },
});

export const completeCopyRequest = defineRoute({
  operationId: 'completeCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/completion',
  summary: 'The copies are made: fix the fee from the page count and ask the patient to pay',
  tags: ['copy-requests'],
  auth: ['staff'],
  params: Params,
  body: z.object({ pages: z.number().int().min(1).max(100_000) }).strict(),
  responses: {
    200: {
      description: 'AWAITING_PAYMENT (the same again for the same page count).',
      schema: z.object({
        status: z.enum(COPY_REQUEST_STATUSES),
        fee: FeeView,
        payBy: z.string(),
      }),
    },
    409: { description: 'INVALID_STATE: completed before with another page count, or cancelled.' },
  },
});

export const payCopyRequest = defineRoute({
  operationId: 'payCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/payments',
  summary: 'Pay the fee (the amount is the stored fee, not chosen by the client)',
  tags: ['copy-requests'],
  auth: ['patient'],
  params: Params,
  body: z
    .object({
      channel: z.enum(CHANNELS),
      payer: Payer,
    })
    .strict(),
  responses: {
    201: {
      description: 'Shaped as POST /payments.',
      schema: z.object({
        paymentId: z.string(),
        status: z.literal('PENDING'),
        channel: z.enum(CHANNELS),
        amountFen: Fen,
        outTradeNo: z.string(),
        expiresAt: z.string(),
        clientParams: z.record(z.string(), z.string()),
      }),
    },
    409: {
      description: 'INVALID_STATE: not awaiting payment (expired, cancelled, paid) or a payment is pending.',
    },
  },
});

export const shipCopyRequest = defineRoute({
  operationId: 'shipCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/shipment',
  summary: 'Record the courier and tracking number of paid copies',
  tags: ['copy-requests'],
  auth: ['staff'],
  params: Params,
  body: z
    .object({ carrier: z.string().min(1).max(32), trackingNo: z.string().regex(/^[A-Za-z0-9-]{6,40}$/) })
    .strict(),
  responses: {
    200: { description: 'SHIPPED.', schema: CopyRequestView },
    409: { description: 'INVALID_STATE: not paid (or shipped with another tracking number).' },
  },
});

export const deliverCopyRequest = defineRoute({
  operationId: 'deliverCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/delivery',
  summary:
    'Confirm delivery: staff with a token, or the courier with X-Courier-Timestamp + X-Courier-Signature (hex HMAC-SHA256 of "timestamp\\nbody" with the shared secret)',
  tags: ['copy-requests'],
  auth: ['staff', COURIER],
  params: Params,
  body: z.object({ signedBy: z.string().max(64).optional() }).strict(),
  responses: {
    200: { description: 'DELIVERED (confirming twice changes nothing).', schema: CopyRequestView },
    409: { description: 'INVALID_STATE: not shipped.' },
  },
});

export const cancelCopyRequest = defineRoute({
  operationId: 'cancelCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/cancel',
  summary: 'Cancel before shipping; after payment the fee is refunded in full',
  tags: ['copy-requests'],
  auth: ['patient', 'staff'],
  params: Params,
  body: z.object({ reason: z.string().min(1).max(80).default('cancelled') }).strict(),
  responses: {
    200: { description: 'CANCELLED (with refundId when it was paid).', schema: CopyRequestView },
    409: { description: 'INVALID_STATE: already shipped or delivered.' },
  },
});

export const getCopyRequest = defineRoute({
  operationId: 'getCopyRequest',
  method: 'GET',
  path: '/copy-requests/{id}',
  summary: 'A copy request with its fee, payment and shipment',
  tags: ['copy-requests'],
  auth: ['patient', 'staff', 'finance', 'admin'],
  params: Params,
  responses: {
    200: { description: 'The request.', schema: CopyRequestView },
    404: { description: 'NOT_FOUND' },
  },
});
