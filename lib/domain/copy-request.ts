/**
 * Copy requests: certified copies of medical records, paid when the fee is known, then couriered.
 * Pure: the state machine, the regulated tariff and the fee breakdown (integer fen throughout).
 */
import { statusGuard } from './status-machine';
import { ValidationError } from './errors';
import { fen, type Fen } from './money';

/** Copy-request statuses (API.md). */
export const COPY_REQUEST_STATUSES = [
  'SUBMITTED',
  'AWAITING_PAYMENT',
  'PAID',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type CopyRequestStatus = (typeof COPY_REQUEST_STATUSES)[number];

/** What can be copied. */
export const COPY_ITEMS = [
  'discharge-summary',
  'admission-record',
  'lab-reports',
  'imaging-reports',
  'operation-record',
  'medical-orders',
  'nursing-record',
  'temperature-chart',
  'pathology-report',
  'consent-forms',
] as const;
export type CopyItem = (typeof COPY_ITEMS)[number];

const TRANSITIONS: Readonly<Record<CopyRequestStatus, readonly CopyRequestStatus[]>> = {
  SUBMITTED: ['AWAITING_PAYMENT', 'CANCELLED'],
  AWAITING_PAYMENT: ['PAID', 'CANCELLED', 'EXPIRED'],
  // Cancelling after payment (before shipping) refunds the fee in full.
  PAID: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
  EXPIRED: [],
};

/** The one guard every copy-request transition goes through; throws INVALID_STATE otherwise. */
export const assertCopyRequestTransition = statusGuard('Copy request', 'id', TRANSITIONS);

/** The records office's regulated tariff. */
export interface CopyTariff {
  /** Fee per copied page, e.g. 50 fen. */
  readonly perPageFen: Fen;
  /** Each copy after the first is charged at this share of the first, in basis points (10000 = full price). */
  readonly extraCopyBp: number;
  /** The courier fee when the province has no entry of its own. */
  readonly courierFen: Fen;
  /** Courier fee by province (e.g. 广东省 → 1200); falls back to courierFen. */
  readonly courierFenByProvince: Readonly<Record<string, Fen>>;
  /** Days after completion within which the patient must pay. */
  readonly payWithinDays: number;
}

/** The stored, shown breakdown of a completed request's fee. */
export interface CopyFee {
  readonly pages: number;
  readonly copies: number;
  readonly perPageFen: Fen;
  readonly extraCopyBp: number;
  readonly pagesFen: Fen;
  readonly courierFen: Fen;
  readonly province?: string;
  readonly totalFen: Fen;
}

/** Computes the fee: the first copy at the page rate, further copies at extraCopyBp of it, plus courier. */
export function copyFee(tariff: CopyTariff, pages: number, copies: number, province?: string): CopyFee {
  if (!Number.isSafeInteger(pages) || pages <= 0)
    throw new ValidationError('pages must be a positive whole number.', [
      { path: 'body.pages', message: 'positive integer required' },
    ]);
  const first = pages * tariff.perPageFen;
  const extra = Math.floor((first * (copies - 1) * tariff.extraCopyBp) / 10_000);
  const pagesFen = fen(first + extra, 'pagesFen');
  const courierFen = (province && tariff.courierFenByProvince[province]) || tariff.courierFen;
  return {
    pages,
    copies,
    perPageFen: tariff.perPageFen,
    extraCopyBp: tariff.extraCopyBp,
    pagesFen,
    courierFen,
    ...(province ? { province } : {}),
    totalFen: fen(pagesFen + courierFen, 'totalFen'),
  };
}

/** Where the copies go. Personal data: stored with the request, never logged. */
export interface Delivery {
  readonly recipient: string;
  readonly phone: string;
  readonly address: string;
  readonly province?: string;
}

/** A copy request as stored. */
export interface CopyRequest {
  readonly copyRequestId: string;
  readonly patientId: string;
  readonly admissionId: string;
  readonly items: readonly CopyItem[];
  readonly copies: number;
  readonly delivery: Delivery;
  readonly status: CopyRequestStatus;
  readonly submittedAt: string;
  readonly completedAt?: string;
  readonly fee?: CopyFee;
  readonly payBy?: string;
  /** The payment taking the fee (one at a time), and when it succeeded. */
  readonly paymentId?: string;
  readonly paidAt?: string;
  readonly shipment?: { readonly carrier: string; readonly trackingNo: string; readonly shippedAt: string };
  readonly deliveredAt?: string;
  readonly cancelledAt?: string;
  readonly cancelReason?: string;
  readonly refundId?: string;
  readonly expiredAt?: string;
}
