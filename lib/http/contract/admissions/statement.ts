/** The `GET /admissions/{admissionId}/statement` route. */
import * as z from 'zod/mini';
import { ADMISSION_STATUSES } from '../../../domain/admission';
import { defineRoute } from '../../route';
import { DateTime, described, int, lazy } from '../common';
import { AdmissionParams } from './schemas';

/** An admission's statement. */
export const AdmissionStatementView = lazy(() =>
  described(
    z.object({
      admissionId: z.string(),
      status: z.enum(ADMISSION_STATUSES),
      lines: z.array(
        z.object({
          at: DateTime(),
          kind: z.enum(['top-up', 'charge', 'insurance', 'deduction', 'refund', 'arrears']),
          amountFen: int(),
          reference: z.string(),
          channel: z.optional(z.string()),
          depositFen: int(),
          tabFen: int(),
        }),
      ),
      totals: z.object({
        toppedUpFen: int(),
        chargedFen: int(),
        insuredFen: int(),
        deductedFen: int(),
        refundedFen: int(),
        arrearsPaidFen: int(),
        depositFen: int(),
        tabFen: int(),
      }),
      accounts: z.object({ depositFen: int(), tabFen: int() }),
    }),
    { id: 'AdmissionStatement' },
  ),
);

export const getAdmissionStatement = defineRoute({
  operationId: 'getAdmissionStatement',
  method: 'GET',
  path: '/admissions/{admissionId}/statement',
  summary:
    "An admission's statement: top-ups, charges, insurance, the deduction, refunds and arrears, in order",
  tags: ['admissions'],
  auth: ['patient', 'staff', 'finance'],
  params: AdmissionParams,
  responses: () => ({
    200: {
      description:
        'Every movement of the deposit and the tab, with both after each line; `accounts` are the ledger accounts’ own balances, equal to the totals.',
      schema: AdmissionStatementView(),
    },
    404: { description: 'NOT_FOUND' },
  }),
});
