/** Finance routes (API.md, Finance): statements and reconciliations. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../domain/ledger/accounts';
import { RECONCILIATION_CLASSES } from '../../domain/finance';
import { DISCREPANCY_CLASSES, RESOLUTION_ACTIONS } from '../../domain/discrepancy';
import { defineRoute } from '../route';
import { described, int, text, DateTime, Day, paging, lazy } from './common';

const Summary = lazy(() =>
  z.object({
    matched: int(),
    missingInLedger: int(),
    missingAtProvider: int(),
    amountMismatch: int(),
    timing: int(),
    feesFen: int(),
  }),
);

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
  responses: () => ({
    302: {
      description: 'The file is on S3: follow Location, a presigned download URL valid 15 minutes.',
      headers: { Location: { description: 'The presigned download URL.', required: true } },
    },
    400: { description: 'VALIDATION_FAILED: malformed or future date, unknown channel or format.' },
  }),
});

export const createReconciliation = defineRoute({
  operationId: 'createReconciliation',
  method: 'POST',
  path: '/reconciliations',
  summary: "Reconcile a channel's day against the provider's bill; posts the day's provider fees once",
  tags: ['finance'],
  auth: ['finance'],
  body: z.strictObject({ date: Day(), channel: z.enum(CHANNELS) }),
  responses: () => ({
    201: {
      description: 'The run (a re-run references the previous one in previousReconciliationId).',
      schema: z.object({
        reconciliationId: z.string(),
        status: z.enum(['COMPLETED', 'COMPLETED_WITH_DISCREPANCIES', 'FAILED']),
        summary: Summary(),
        previousReconciliationId: z.optional(z.string()),
      }),
    },
    409: { description: 'BILL_NOT_AVAILABLE: the provider has not published the bill yet (Retry-After).' },
    422: {
      description:
        'BILL_REJECTED: the bill is corrupt, truncated or fails its SHA-1; the run is stored FAILED.',
    },
  }),
});

export const getReconciliation = defineRoute({
  operationId: 'getReconciliation',
  method: 'GET',
  path: '/reconciliations/{id}',
  summary: 'A reconciliation with its discrepancy lines',
  tags: ['finance'],
  auth: ['finance'],
  params: z.object({ id: text(1, 64) }),
  responses: () => ({
    200: {
      description: 'The report and its lines (every class except matched).',
      schema: z.object({
        reconciliationId: z.string(),
        date: Day(),
        channel: z.enum(CHANNELS),
        status: z.enum(['COMPLETED', 'COMPLETED_WITH_DISCREPANCIES', 'FAILED']),
        summary: Summary(),
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
            outTradeNo: z.optional(z.string()),
          }),
        ),
      }),
    },
    404: { description: 'NOT_FOUND' },
  }),
});

const RunStatus = z.enum(['COMPLETED', 'COMPLETED_WITH_DISCREPANCIES', 'FAILED']);

export const listReconciliations = defineRoute({
  operationId: 'listReconciliations',
  method: 'GET',
  path: '/reconciliations',
  summary: "A business day's reconciliation runs, and whether each channel's day is closed",
  tags: ['finance'],
  auth: ['finance'],
  query: z.strictObject({
    date: Day(),
    channel: z.optional(z.enum(CHANNELS)),
    status: z.optional(RunStatus),
  }),
  responses: () => ({
    200: {
      description: "Runs newest first; `days` has each reconciled channel's latest run and its close.",
      schema: z.object({
        items: z.array(
          z.object({
            reconciliationId: z.string(),
            date: Day(),
            channel: z.enum(CHANNELS),
            status: RunStatus,
            summary: Summary(),
            previousReconciliationId: z.optional(z.string()),
            createdAt: DateTime(),
          }),
        ),
        days: z.array(
          z.object({
            channel: z.enum(CHANNELS),
            date: Day(),
            latestReconciliationId: z.string(),
            closedAt: z.optional(DateTime()),
            closedBy: z.optional(z.string()),
          }),
        ),
      }),
    },
    400: { description: 'VALIDATION_FAILED: no or malformed date, unknown channel or status.' },
  }),
});

const Discrepancy = lazy(() =>
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
const DiscrepancyParams = z.object({ discrepancyId: text(1, 64) });

export const listDiscrepancies = defineRoute({
  operationId: 'listDiscrepancies',
  method: 'GET',
  path: '/discrepancies',
  summary: "Finance's to-do list: discrepancies by status (OPEN by default), oldest day first",
  tags: ['finance'],
  auth: ['finance'],
  query: z.strictObject({
    status: z._default(z.enum(['OPEN', 'RESOLVED']), 'OPEN'),
    date: z.optional(Day()),
    channel: z.optional(z.enum(CHANNELS)),
    ...paging(),
  }),
  responses: () => ({
    200: {
      description:
        'One page; follow `nextCursor` until it is absent (a page may hold fewer than `limit` when date or channel filter some out).',
      schema: z.object({ items: z.array(Discrepancy()), nextCursor: z.optional(z.string()) }),
    },
    400: { description: 'VALIDATION_FAILED: a bad filter, or a cursor of another search.' },
  }),
});

export const getDiscrepancy = defineRoute({
  operationId: 'getDiscrepancy',
  method: 'GET',
  path: '/discrepancies/{discrepancyId}',
  summary: 'One discrepancy with its audit trail',
  tags: ['finance'],
  auth: ['finance'],
  params: DiscrepancyParams,
  responses: () => ({
    200: { description: 'The discrepancy.', schema: Discrepancy() },
    404: { description: 'NOT_FOUND' },
  }),
});

export const resolveDiscrepancy = defineRoute({
  operationId: 'resolveDiscrepancy',
  method: 'POST',
  path: '/discrepancies/{discrepancyId}/resolve',
  summary: 'Resolve a discrepancy with a typed action and a note (audited; posts balanced journals only)',
  tags: ['finance'],
  auth: ['finance'],
  params: DiscrepancyParams,
  body: z.strictObject({
    action: described(z.enum(RESOLUTION_ACTIONS), {
      description:
        "matched-late: on the next day's bill (missingAtProvider). refund-at-provider: a refund made at the provider's portal (missingInLedger refund); books the refund. write-off: moves the difference to suspense:reconciliation. re-query: asks the provider and applies its answer.",
    }),
    note: text(1, 500),
  }),
  responses: () => ({
    200: {
      description: 'The discrepancy, RESOLVED, with the resolution and its audit entry.',
      schema: Discrepancy(),
    },
    404: { description: 'NOT_FOUND' },
    409: {
      description:
        "INVALID_STATE: already resolved, an action that does not fit its class, not on the next day's bill, or a re-query answer that contradicts the ledger (recorded in its history; it stays OPEN). BILL_NOT_AVAILABLE: the next day's bill is not published yet.",
    },
  }),
});

export const closeFinanceDay = defineRoute({
  operationId: 'closeFinanceDay',
  method: 'POST',
  path: '/finance-days/{date}/close',
  summary: "Close a channel's business day: reconciled, and no discrepancy open",
  tags: ['finance'],
  auth: ['finance'],
  params: z.object({ date: Day() }),
  body: z.strictObject({ channel: z.enum(CHANNELS) }),
  responses: () => ({
    200: {
      description: 'Closed (closing again answers the first close). A closed day is not reconciled again.',
      schema: z.object({
        date: Day(),
        channel: z.enum(CHANNELS),
        closedAt: DateTime(),
        closedBy: z.string(),
        reconciliationId: z.string(),
      }),
    },
    409: {
      description:
        'INVALID_STATE: not reconciled, the last run FAILED, or discrepancies still open (the message names them).',
    },
  }),
});
