/** Copy-request routes (API.md, Copy requests: fee collected after the copies are made). */
import * as z from 'zod/mini';
import { CHANNELS } from '../../domain/ledger/accounts';
import { COPY_ITEMS, COPY_REQUEST_STATUSES } from '../../domain/copy-request';
import { COURIER } from '../auth';
import { defineRoute } from '../route';
import { described, int, intIn, text, DateTime, Day, paging, lazy } from './common';
import { CreatedPayment, Id, Payer } from './shared';

const Params = z.object({ id: Id });
const Fen = int();

/** `POST /copy-requests` body. */
export const SubmitBody = z.strictObject({
  /** Patients submit their own; staff may name the patient. */
  patientId: z.optional(Id),
  admissionId: Id,
  items: z.array(z.enum(COPY_ITEMS)).check(z.minLength(1), z.maxLength(COPY_ITEMS.length)),
  copies: z._default(intIn(1, 10), 1),
  delivery: z.strictObject({
    recipient: text(1, 64),
    phone: z.string().check(z.regex(/^\+?[0-9-]{6,20}$/)),
    address: text(4, 200),
    /** For the courier tariff by province, e.g. 广东省. */
    province: z.optional(text(2, 16)),
  }),
});

const FeeView = lazy(() =>
  described(
    z.object({
      pages: int(),
      copies: int(),
      perPageFen: Fen,
      extraCopyBp: int(),
      pagesFen: Fen,
      courierFen: Fen,
      province: z.optional(z.string()),
      totalFen: Fen,
    }),
    { id: 'CopyFee' },
  ),
);

const CopyRequestView = lazy(() =>
  described(
    z.object({
      copyRequestId: z.string(),
      patientId: z.string(),
      admissionId: z.string(),
      status: z.enum(COPY_REQUEST_STATUSES),
      items: z.array(z.enum(COPY_ITEMS)),
      copies: int(),
      delivery: z.object({
        recipient: z.string(),
        phone: z.string(),
        address: z.string(),
        province: z.optional(z.string()),
      }),
      submittedAt: DateTime(),
      fee: z.nullable(FeeView()),
      payBy: z.nullable(DateTime()),
      payment: z.nullable(
        z.object({
          paymentId: z.string(),
          status: z.string(),
          channel: z.enum(CHANNELS),
          amountFen: Fen,
          paidAt: z.optional(DateTime()),
        }),
      ),
      shipment: z.nullable(z.object({ carrier: z.string(), trackingNo: z.string(), shippedAt: DateTime() })),
      deliveredAt: z.optional(DateTime()),
      cancelledAt: z.optional(DateTime()),
      refundId: z.optional(z.string()),
    }),
    { id: 'CopyRequest' },
  ),
);

export const submitCopyRequest = defineRoute({
  operationId: 'submitCopyRequest',
  method: 'POST',
  path: '/copy-requests',
  summary: 'Request certified copies with courier delivery; nothing is paid now',
  tags: ['copy-requests'],
  auth: ['patient'],
  body: SubmitBody,
  responses: () => ({
    201: {
      description: 'Submitted.',
      schema: z.object({ copyRequestId: z.string(), status: z.literal('SUBMITTED') }),
    },
  }),
});

export const completeCopyRequest = defineRoute({
  operationId: 'completeCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/completion',
  summary: 'The copies are made: fix the fee from the page count and ask the patient to pay',
  tags: ['copy-requests'],
  auth: ['staff'],
  params: Params,
  body: z.strictObject({ pages: intIn(1, 100_000) }),
  responses: () => ({
    200: {
      description: 'AWAITING_PAYMENT (the same again for the same page count).',
      schema: z.object({
        status: z.enum(COPY_REQUEST_STATUSES),
        fee: FeeView(),
        payBy: DateTime(),
      }),
    },
    409: { description: 'INVALID_STATE: completed before with another page count, or cancelled.' },
  }),
});

export const payCopyRequest = defineRoute({
  operationId: 'payCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/payments',
  summary: 'Pay the fee (the amount is the stored fee, not chosen by the client)',
  tags: ['copy-requests'],
  auth: ['patient'],
  params: Params,
  body: z.strictObject({ channel: z.enum(CHANNELS), payer: Payer }),
  responses: () => ({
    201: {
      description: 'Shaped as POST /payments.',
      schema: CreatedPayment(),
    },
    409: {
      description: 'INVALID_STATE: not awaiting payment (expired, cancelled, paid) or a payment is pending.',
    },
  }),
});

export const shipCopyRequest = defineRoute({
  operationId: 'shipCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/shipment',
  summary: 'Record the courier and tracking number of paid copies',
  tags: ['copy-requests'],
  auth: ['staff'],
  params: Params,
  body: z.strictObject({
    carrier: text(1, 32),
    trackingNo: z.string().check(z.regex(/^[A-Za-z0-9-]{6,40}$/)),
  }),
  responses: () => ({
    200: { description: 'SHIPPED.', schema: CopyRequestView() },
    409: { description: 'INVALID_STATE: not paid (or shipped with another tracking number).' },
  }),
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
  body: z.strictObject({ signedBy: z.optional(z.string().check(z.maxLength(64))) }),
  responses: () => ({
    200: { description: 'DELIVERED (confirming twice changes nothing).', schema: CopyRequestView() },
    409: { description: 'INVALID_STATE: not shipped.' },
  }),
});

export const cancelCopyRequest = defineRoute({
  operationId: 'cancelCopyRequest',
  method: 'POST',
  path: '/copy-requests/{id}/cancel',
  summary: 'Cancel before shipping; after payment the fee is refunded in full',
  tags: ['copy-requests'],
  auth: ['patient', 'staff'],
  params: Params,
  body: z.strictObject({ reason: z._default(text(1, 80), 'cancelled') }),
  responses: () => ({
    200: { description: 'CANCELLED (with refundId when it was paid).', schema: CopyRequestView() },
    409: { description: 'INVALID_STATE: already shipped or delivered.' },
  }),
});

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

export const searchCopyRequests = defineRoute({
  operationId: 'searchCopyRequests',
  method: 'GET',
  path: '/copy-requests',
  summary: "A business day's copy requests (by submission), page by page (patients see only their own)",
  tags: ['copy-requests'],
  auth: ['patient', 'staff', 'finance'],
  query: z.strictObject({
    date: Day(),
    status: z.optional(z.enum(COPY_REQUEST_STATUSES)),
    patientId: z.optional(text(1, 64)),
    ...paging(),
  }),
  responses: () => ({
    200: {
      description:
        'One page, oldest first. Follow `nextCursor` until it is absent; a page may hold fewer than `limit` when filters drop some.',
      schema: z.object({ items: z.array(CopyRequestView()), nextCursor: z.optional(z.string()) }),
    },
    400: {
      description: 'VALIDATION_FAILED: no or malformed date, unknown status, or a cursor of another search.',
    },
  }),
});
