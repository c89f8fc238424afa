/** The schemas the visits routes share (the routes are one module each, so a function builds its own). */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { CHARGE_CATEGORIES, VISIT_STATUSES } from '../../../domain/visit';
import { described, int, DateTime, lazy, text } from '../common';
import { FeeQuantity, Id, ReceiptView } from '../shared';

export const VisitParams = z.object({ visitId: Id });

export const Fen = int();

/** A charge's medical-list codes (6201 FeeDetailDTO medListCodg, medinsListCodg, cnt, rxno). */
export const ChargeListing = z.strictObject({
  listCode: text(1, 64),
  hospitalListCode: text(1, 64),
  quantity: z._default(FeeQuantity, '1'),
  prescriptionNo: z.optional(text(1, 64)),
});

export const preauth = {
  preauthId: z.string(),
  insuredFen: Fen,
  personalAccountFen: Fen,
  selfPayFen: Fen,
  expiresAt: DateTime(),
};

export const SettlementView = lazy(() =>
  described(
    z.object({
      visitId: z.string(),
      status: z.enum(VISIT_STATUSES),
      insuredFen: Fen,
      personalAccountFen: Fen,
      selfPayFen: Fen,
      capturedFen: Fen,
      releasedFen: Fen,
      asSelfPay: z.boolean(),
      nextAttemptAt: z.optional(DateTime()),
      lastError: z.optional(z.string()),
    }),
    { id: 'VisitSettlement' },
  ),
);

export const VisitView = lazy(() =>
  described(
    z.object({
      visitId: z.string(),
      patientId: z.string(),
      channel: z.enum(CHANNELS),
      status: z.enum(VISIT_STATUSES),
      insured: z.boolean(),
      creditLimitFen: Fen,
      tabFen: Fen,
      availableCreditFen: Fen,
      outOrderNo: z.string(),
      createdAt: DateTime(),
      authoriseBy: DateTime(),
      charges: z.array(
        z.object({
          chargeId: z.string(),
          category: z.enum(CHARGE_CATEGORIES),
          description: z.string(),
          amountFen: Fen,
          voided: z.boolean(),
          listing: z.optional(ChargeListing),
        }),
      ),
      insurance: z.nullable(
        z.object({
          ...preauth,
          status: z.enum(['ORDERING', 'HELD', 'SETTLED', 'REVERSED']),
          tabVersion: int(),
          medOrgOrd: z.string(),
        }),
      ),
      settlement: z.nullable(SettlementView()),
      /** A settled visit's fiscal e-receipt: what the visit collected (insurance and the captured self-pay). */
      receipt: z.optional(ReceiptView()),
    }),
    { id: 'Visit' },
  ),
);
