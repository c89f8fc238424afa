/** The schemas the copy-requests routes share (the routes are one module each, so a function builds its own). */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { COPY_ITEMS, COPY_REQUEST_STATUSES } from '../../../domain/copy-request';
import { described, int, DateTime, lazy } from '../common';
import { Id } from '../shared';

export const Params = z.object({ id: Id });

export const Fen = int();

export const FeeView = lazy(() =>
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

export const CopyRequestView = lazy(() =>
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
