/** The schemas the payments routes share (the routes are one module each, so a function builds its own). */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { PAYMENT_MODES, PAYMENT_PURPOSES, PAYMENT_STATUSES, REFUND_STATUSES } from '../../../domain/payment';
import {
  DESTINATION_KINDS,
  REFUND_STEPS,
  REROUTE_BANKS,
  REROUTE_TYPES,
} from '../../../domain/refund-progress';
import { described, int, DateTime, lazy } from '../common';
import { CounterView, Id, InsuranceView, PaymentCodeView, ReceiptView } from '../shared';

export const RefundView = lazy(() =>
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
      /** Who the money goes back to: the payment's payer, by the provider's original route (原路退回). */
      payerId: z.optional(z.string()),
      /**
       * Where it stands, as a patient can follow it: the steps with their times, where the money goes (as the
       * provider reports it), when it should arrive by the provider's published timing (or the hospital's
       * finance promise while it waits on finance), and what happens next (docs/refunds.md).
       */
      progress: z.object({
        state: z.enum(['PROCESSING', 'ABNORMAL', 'REROUTED', 'SUCCEEDED', 'FAILED']),
        steps: z.array(
          z.object({
            step: z.enum(REFUND_STEPS),
            at: DateTime(),
            by: z.optional(z.string()),
            note: z.optional(z.string()),
          }),
        ),
        destination: z.optional(z.object({ kind: z.enum(DESTINATION_KINDS), account: z.string() })),
        expectedBy: z.optional(DateTime()),
        nextStep: z.enum(['WAIT', 'HOSPITAL', 'CONTACT_HOSPITAL', 'NONE']),
        message: z.string(),
        reroute: z.optional(
          z.object({
            type: z.enum(REROUTE_TYPES),
            by: z.string(),
            at: DateTime(),
            bankType: z.optional(z.enum(REROUTE_BANKS)),
            accountTail: z.optional(z.string()),
          }),
        ),
      }),
      /** An insured payment's refund: each part and where it stands (the platform's 6203, the wallet's cash). */
      insurance: z.optional(
        z.object({
          insuredFen: int(),
          personalAccountFen: int(),
          selfPayFen: int(),
          platform: z.enum(['PENDING', 'SUCCEEDED', 'FAILED']),
          cash: z.enum(['NONE', 'PENDING', 'SUCCEEDED', 'FAILED']),
          walletNotified: z.boolean(),
        }),
      ),
    }),
    { id: 'Refund' },
  ),
);

export const PaymentView = lazy(() =>
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
      insurance: z.optional(InsuranceView()),
      /** How it is taken: mini-program, qr (kiosk or printed bill) or payment-code (scanned at a window). */
      mode: z.optional(z.enum(PAYMENT_MODES)),
      /** Who paid, once known: the wallet user, who need not be the patient (refunds go back to them). */
      payerId: z.optional(z.string()),
      counter: z.optional(CounterView()),
      paymentCode: z.optional(PaymentCodeView()),
      /**
       * Its fiscal e-receipts (财政电子票据): `status` ISSUED (the current receipt covers what is paid),
       * REVERSED (refunded in full) or PENDING (being issued, or waiting for the platform); every receipt and
       * red receipt with 票据代码, 票据号码, 校验码 and its page (docs/receipts.md).
       */
      receipt: z.optional(ReceiptView()),
    }),
    { id: 'Payment' },
  ),
);

export const PaymentParams = z.object({ paymentId: Id });
