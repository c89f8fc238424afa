/** The schemas the admission routes share (the routes are one module each, so a function builds its own). */
import * as z from 'zod/mini';
import { ADMISSION_CHARGE_CATEGORIES, ADMISSION_STATUSES } from '../../../domain/admission';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { DateTime, described, int, lazy } from '../common';
import { Id } from '../shared';

export const AdmissionParams = z.object({ admissionId: Id });

const Fen = int();
const Signed = described(int(), {
  description: 'Signed fen: negative when the charges exceed the deposits.',
});
const Split = z.object({ fundFen: Fen, personalAccountFen: Fen, selfPayFen: Fen });

/** An admission as the HIS, the ward and the patient see it. */
export const AdmissionView = lazy(() =>
  described(
    z.object({
      admissionId: z.string(),
      patientId: z.string(),
      ward: z.string(),
      status: z.enum(ADMISSION_STATUSES),
      requestedDepositFen: Fen,
      depositCapFen: Fen,
      lowBalanceFen: Fen,
      depositsFen: Fen,
      chargesFen: Fen,
      balanceFen: Signed,
      lowBalance: z.boolean(),
      chargeCount: int(),
      openedAt: DateTime(),
      dischargedAt: z.optional(DateTime()),
      settledAt: z.optional(DateTime()),
      lastDischargeError: z.optional(z.string()),
      topUps: z.array(
        z.object({
          paymentId: z.string(),
          amountFen: Fen,
          channel: z.enum(CHANNELS),
          status: z.enum(['PENDING', 'PAID', 'CLOSED']),
          paidAt: z.optional(DateTime()),
          payerId: z.optional(z.string()),
        }),
      ),
      settlement: z.optional(
        z.object({
          step: z.enum(['INSURANCE', 'BOOK', 'REFUND', 'ARREARS', 'DONE']),
          requestedBy: z.string(),
          requestedAt: DateTime(),
          insurance: z.optional(
            z.object({
              status: z.enum(['ORDERING', 'SETTLED']),
              settleIn: z.enum(['platform', 'wallet']),
              payOrdId: z.string(),
              split: Split,
              /** The mixed order's payment (settleIn wallet). */
              paymentId: z.optional(z.string()),
            }),
          ),
          plan: z.optional(
            z.object({
              split: Split,
              deductedFen: Fen,
              surplusFen: Fen,
              arrearsFen: Fen,
              /** The self-pay part beyond the deposits, paid in WeChat's mixed order (settleIn wallet). */
              paidInOrderFen: z.optional(Fen),
              unrefundableFen: Fen,
              refunds: z.array(
                z.object({
                  paymentId: z.string(),
                  refundId: z.string(),
                  channel: z.enum(CHANNELS),
                  payerId: z.optional(z.string()),
                  amountFen: Fen,
                  status: z.enum(['PLANNED', 'PROCESSING', 'SUCCEEDED', 'FAILED']),
                }),
              ),
            }),
          ),
          arrears: z.optional(
            z.object({
              paymentId: z.string(),
              channel: z.enum(CHANNELS),
              status: z.string(),
              payUrl: z.optional(z.string()),
            }),
          ),
          lastError: z.optional(z.string()),
        }),
      ),
      /** Only in the answer that placed WeChat's discharge order: what opens it (wx.requestMedicalInsurancePay). */
      clientParams: z.optional(z.record(z.string(), z.string())),
    }),
    { id: 'Admission' },
  ),
);

/** One charge line posted against an admission. */
export const AdmissionChargeView = lazy(() =>
  described(
    z.object({
      chargeId: z.string(),
      category: z.enum(ADMISSION_CHARGE_CATEGORIES),
      description: z.string(),
      amountFen: Fen,
      serviceDate: z.string(),
      postedAt: DateTime(),
      listed: z.boolean(),
    }),
    { id: 'AdmissionCharge' },
  ),
);

/** What posting a charge answers: the admission's balance after it. */
export const BalanceView = lazy(() =>
  z.object({
    chargeId: z.string(),
    admissionId: z.string(),
    status: z.enum(ADMISSION_STATUSES),
    depositsFen: Fen,
    chargesFen: Fen,
    balanceFen: Signed,
    lowBalance: z.boolean(),
  }),
);
