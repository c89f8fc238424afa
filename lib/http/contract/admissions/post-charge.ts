/** The `POST /admissions/{admissionId}/charges` route. */
import * as z from 'zod/mini';
import { ADMISSION_CHARGE_CATEGORIES } from '../../../domain/admission';
import { defineRoute } from '../../route';
import { Day, described, text } from '../common';
import { AmountFen, Id } from '../shared';
import { ChargeListing } from '../visits/schemas';
import { AdmissionParams, BalanceView } from './schemas';

/** `POST /admissions/{admissionId}/charges` body. */
export const PostChargeBody = z.strictObject({
  chargeId: described(Id, { description: 'The HIS line id; a line is posted once per chargeId.' }),
  category: z.enum(ADMISSION_CHARGE_CATEGORIES),
  description: text(1, 127),
  amountFen: AmountFen,
  /** The day charged for (一日清单), Asia/Shanghai; the posting day when absent. */
  serviceDate: z.optional(Day()),
  /** The line's medical-list codes for insurance at discharge; without them it is self-pay. */
  listing: z.optional(ChargeListing),
});

export const postAdmissionCharge = defineRoute({
  operationId: 'postAdmissionCharge',
  method: 'POST',
  path: '/admissions/{admissionId}/charges',
  summary: "Post a charge line against the admission's balance (idempotent by chargeId)",
  tags: ['admissions'],
  auth: ['staff'],
  params: AdmissionParams,
  body: PostChargeBody,
  responses: () => ({
    201: {
      description: 'Posted (or already posted with the same amount); the balance after it.',
      schema: BalanceView(),
    },
    404: { description: 'NOT_FOUND' },
    409: { description: 'INVALID_STATE: the admission is being discharged or settled.' },
    422: { description: 'CHARGE_ID_REUSED: the chargeId was posted with another amount.' },
  }),
});
