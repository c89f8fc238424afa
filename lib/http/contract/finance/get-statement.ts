/** The `GET /statements/{date}` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { defineRoute } from '../../route';
import { Day } from '../common';

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
