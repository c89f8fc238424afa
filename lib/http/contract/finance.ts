/** Finance routes (API.md, Finance): statements and reconciliations. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../domain/ledger/accounts';
import { RECONCILIATION_CLASSES } from '../../domain/finance';
import { defineRoute } from '../route';
import { int, text, DateTime, Day } from './common';

const Summary = z.object({
  matched: int(),
  missingInLedger: int(),
  missingAtProvider: int(),
  amountMismatch: int(),
  timing: int(),
  feesFen: int(),
});

export const getStatement = defineRoute({
  operationId: 'getStatement',
  method: 'GET',
  path: '/statements/{date}',
  summary: "A business day's statement (Asia/Shanghai) as CSV (UTF-8 with BOM) or XLSX",
  tags: ['finance'],
  auth: ['finance'],
  params: z.object({ date: Day() }),
  query: z.strictObject({
    channel: z.optional(z.enum(CHANNELS)),
    format: z._default(z.enum(['csv', 'xlsx']), 'csv'),
  }),
  responses: {
    302: {
      description: 'The file is on S3: follow Location, a presigned download URL valid 15 minutes.',
      headers: { Location: { description: 'The presigned download URL.', required: true } },
    },
    400: { description: 'VALIDATION_FAILED: malformed or future date, unknown channel or format.' },
  },
});

export const createReconciliation = defineRoute({
  operationId: 'createReconciliation',
  method: 'POST',
  path: '/reconciliations',
  summary: "Reconcile a channel's day against the provider's bill; posts the day's provider fees once",
  tags: ['finance'],
  auth: ['finance'],
  body: z.strictObject({ date: Day(), channel: z.enum(CHANNELS) }),
  responses: {
    201: {
      description: 'The run (a re-run references the previous one in previousReconciliationId).',
      schema: z.object({
        reconciliationId: z.string(),
        status: z.enum(['COMPLETED', 'COMPLETED_WITH_DISCREPANCIES', 'FAILED']),
        summary: Summary,
        previousReconciliationId: z.optional(z.string()),
      }),
    },
    409: { description: 'BILL_NOT_AVAILABLE: the provider has not published the bill yet (Retry-After).' },
    422: {
      description:
        'BILL_REJECTED: the bill is corrupt, truncated or fails its SHA-1; the run is stored FAILED.',
    },
  },
});

export const getReconciliation = defineRoute({
  operationId: 'getReconciliation',
  method: 'GET',
  path: '/reconciliations/{id}',
  summary: 'A reconciliation with its discrepancy lines',
  tags: ['finance'],
  auth: ['finance'],
  params: z.object({ id: text(1, 64) }),
  responses: {
    200: {
      description: 'The report and its lines (every class except matched).',
      schema: z.object({
        reconciliationId: z.string(),
        date: Day(),
        channel: z.enum(CHANNELS),
        status: z.enum(['COMPLETED', 'COMPLETED_WITH_DISCREPANCIES', 'FAILED']),
        summary: Summary,
        previousReconciliationId: z.optional(z.string()),
        failure: z.optional(z.string()),
        createdAt: DateTime(),
        lines: z.array(
          z.object({
            class: z.enum(RECONCILIATION_CLASSES),
            kind: z.enum(['payment', 'refund']),
            reference: z.string(),
            ledgerFen: z.optional(int()),
            providerFen: z.optional(int()),
            providerNo: z.optional(z.string()),
            otherDay: z.optional(Day()),
          }),
        ),
      }),
    },
    404: { description: 'NOT_FOUND' },
  },
});
