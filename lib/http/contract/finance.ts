/** Finance routes (API.md, Finance): statements and reconciliations. */
import { z } from 'zod';
import { CHANNELS } from '../../domain/ledger/accounts';
import { RECONCILIATION_CLASSES } from '../../domain/finance';
import { defineRoute } from '../route';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');
const Summary = z.object({
  matched: z.number().int(),
  missingInLedger: z.number().int(),
  missingAtProvider: z.number().int(),
  amountMismatch: z.number().int(),
  timing: z.number().int(),
  feesFen: z.number().int(),
});

export const getStatement = defineRoute({
  operationId: 'getStatement',
  method: 'GET',
  path: '/statements/{date}',
  summary: "A business day's statement (Asia/Shanghai) as CSV (UTF-8 with BOM) or XLSX",
  tags: ['finance'],
  auth: ['finance', 'admin'],
  params: z.object({ date: Day }),
  query: z
    .object({ channel: z.enum(CHANNELS).optional(), format: z.enum(['csv', 'xlsx']).default('csv') })
    .strict(),
  responses: {
    302: { description: 'Location: a presigned download URL, valid 15 minutes.' },
    400: { description: 'VALIDATION_FAILED: malformed or future date, unknown channel or format.' },
  },
});

export const createReconciliation = defineRoute({
  operationId: 'createReconciliation',
  method: 'POST',
  path: '/reconciliations',
  summary: "Reconcile a channel's day against the provider's bill; posts the day's provider fees once",
  tags: ['finance'],
  auth: ['finance', 'admin'],
  body: z.object({ date: Day, channel: z.enum(CHANNELS) }).strict(),
  responses: {
    201: {
      description: 'The run (a re-run references the previous one in previousReconciliationId).',
      schema: z.object({
        reconciliationId: z.string(),
        status: z.enum(['COMPLETED', 'FAILED']),
        summary: Summary,
        previousReconciliationId: z.string().optional(),
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
  auth: ['finance', 'admin'],
  params: z.object({ id: z.string().min(1).max(64) }),
  responses: {
    200: {
      description: 'The report and its lines (every class except matched).',
      schema: z.object({
        reconciliationId: z.string(),
        date: z.string(),
        channel: z.enum(CHANNELS),
        status: z.enum(['COMPLETED', 'FAILED']),
        summary: Summary,
        previousReconciliationId: z.string().optional(),
        failure: z.string().optional(),
        createdAt: z.string(),
        lines: z.array(
          z.object({
            class: z.enum(RECONCILIATION_CLASSES),
            kind: z.enum(['payment', 'refund']),
            reference: z.string(),
            ledgerFen: z.number().int().optional(),
            providerFen: z.number().int().optional(),
            providerNo: z.string().optional(),
            otherDay: z.string().optional(),
          }),
        ),
      }),
    },
    404: { description: 'NOT_FOUND' },
  },
});
