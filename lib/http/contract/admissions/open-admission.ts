/** The `POST /admissions` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { described, text } from '../common';
import { AmountFen, fenFrom, Id } from '../shared';
import { AdmissionView } from './schemas';

/** `POST /admissions` body. */
export const OpenAdmissionBody = z.strictObject({
  admissionId: described(Id, {
    description: "The HIS's admission number (住院号); opening it again is idempotent.",
  }),
  patientId: Id,
  ward: text(1, 64),
  requestedDepositFen: AmountFen,
  /** The admission's own cap (the hospital's configured cap when absent; never above it). */
  depositCapFen: z.optional(AmountFen),
  /** Under this balance the ward is told (AdmissionLowBalance); the configured threshold when absent. */
  lowBalanceFen: z.optional(fenFrom(0)),
});

export const openAdmission = defineRoute({
  operationId: 'openAdmission',
  method: 'POST',
  path: '/admissions',
  summary:
    'Open an inpatient admission (its deposit is then topped up through POST /payments, purpose deposit)',
  tags: ['admissions'],
  auth: ['staff'],
  body: OpenAdmissionBody,
  responses: () => ({
    201: { description: 'Opened, or already open for the same patient.', schema: AdmissionView() },
    400: { description: 'VALIDATION_FAILED, e.g. a requested deposit above the cap.' },
    409: { description: 'INVALID_STATE: the admission number is taken by another patient.' },
  }),
});
