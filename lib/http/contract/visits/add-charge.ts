/** The `POST /visits/{visitId}/charges` route. */
import * as z from 'zod/mini';
import { CHARGE_CATEGORIES } from '../../../domain/visit';
import { defineRoute } from '../../route';
import { described, text } from '../common';
import { AmountFen, Id } from '../shared';
import { ChargeListing, VisitParams, Fen } from './schemas';

/** `POST /visits/{visitId}/charges` body. */
export const AddChargeBody = z.strictObject({
  chargeId: described(Id, { description: 'The HIS line id; a charge is added once per chargeId.' }),
  category: z.enum(CHARGE_CATEGORIES),
  description: text(1, 127),
  amountFen: AmountFen,
  /** The line's medical-list codes for insurance (6201 medListCodg, medinsListCodg, cnt); without them it is self-pay. */
  listing: z.optional(ChargeListing),
});

export const addCharge = defineRoute({
  operationId: 'addVisitCharge',
  method: 'POST',
  path: '/visits/{visitId}/charges',
  summary: 'Add an HIS charge to the tab (idempotent by chargeId)',
  tags: ['visits'],
  auth: ['staff'],
  params: VisitParams,
  body: AddChargeBody,
  responses: () => ({
    201: {
      description: 'Added (or already added with the same amount).',
      schema: z.object({ chargeId: z.string(), tabFen: Fen, availableCreditFen: Fen }),
    },
    409: { description: 'INVALID_STATE: the visit is not OPEN.' },
    422: {
      description:
        'CREDIT_LIMIT_EXCEEDED (`error.availableCreditFen` says what still fits), or CHARGE_ID_REUSED with another amount.',
    },
  }),
});
