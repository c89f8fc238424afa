/** The schemas the finance routes share (the routes are one module each, so a function builds its own). */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { DISCREPANCY_CLASSES, RESOLUTION_ACTIONS } from '../../../domain/discrepancy';
import { described, int, text, DateTime, Day, lazy } from '../common';

export const Summary = lazy(() =>
  z.object({
    matched: int(),
    missingInLedger: int(),
    missingAtProvider: int(),
    amountMismatch: int(),
    timing: int(),
    feesFen: int(),
  }),
);

export const Discrepancy = lazy(() =>
  described(
    z.object({
      discrepancyId: z.string(),
      channel: z.enum(CHANNELS),
      date: Day(),
      class: z.enum(DISCREPANCY_CLASSES),
      kind: z.enum(['payment', 'refund']),
      reference: z.string(),
      outTradeNo: z.optional(z.string()),
      ledgerFen: z.optional(int()),
      providerFen: z.optional(int()),
      providerNo: z.optional(z.string()),
      txnId: z.optional(z.string()),
      otherDay: z.optional(Day()),
      status: z.enum(['OPEN', 'RESOLVED']),
      reconciliationId: z.string(),
      resolution: z.optional(
        z.object({
          action: z.enum(RESOLUTION_ACTIONS),
          note: z.string(),
          by: z.string(),
          at: DateTime(),
          txnId: z.optional(z.string()),
        }),
      ),
      history: z.array(
        z.object({
          at: DateTime(),
          by: z.string(),
          action: z.string(),
          note: z.optional(z.string()),
          outcome: z.string(),
          txnId: z.optional(z.string()),
          reconciliationId: z.optional(z.string()),
        }),
      ),
      createdAt: DateTime(),
      updatedAt: DateTime(),
    }),
    { id: 'Discrepancy' },
  ),
);

export const DiscrepancyParams = z.object({ discrepancyId: text(1, 64) });
