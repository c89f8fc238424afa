/** The `POST /visits/{visitId}/insurance/preauthorisations` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { described, lazy, text } from '../common';
import { PatientLocation } from '../shared';
import { VisitParams, preauth } from './schemas';

const PreauthView = lazy(() => described(z.object(preauth), { id: 'InsurancePreauthorisation' }));

/** The patient's insurance authorisation from the wallet, and what the HIS adds for 6201 (docs/insurance.md). */
export const PreauthoriseBody = z.strictObject({
  authCode: text(1, 256),
  location: z.optional(PatientLocation),
  medicalType: z.optional(text(1, 8)),
  departmentCode: z.optional(text(1, 64)),
  doctorCode: z.optional(text(1, 64)),
});

export const preauthoriseInsurance = defineRoute({
  operationId: 'preauthoriseVisitInsurance',
  method: 'POST',
  path: '/visits/{visitId}/insurance/preauthorisations',
  summary:
    "Settle the tab's listed charges with medical insurance while the patient authorises (bound to the tab)",
  tags: ['visits'],
  auth: ['patient', 'staff'],
  params: VisitParams,
  body: PreauthoriseBody,
  responses: () => ({
    201: {
      description: 'The insured part, settled at the platform and held for the visit.',
      schema: PreauthView(),
    },
    400: { description: 'VALIDATION_ERROR: no listed charge, or the location is missing on Alipay.' },
    409: {
      description:
        'INVALID_STATE: the visit is not insured, not OPEN (nor settling and waiting for insurance), insurance is not configured for its channel, or a settlement is on its way.',
    },
    422: {
      description:
        'INSURANCE_AUTH_INVALID (expired, used or unknown authorisation: authorise again), INSURANCE_REFUSED (the platform refused), INTEGRITY_ALERT (its split contradicts the tab).',
    },
    503: { description: 'PROVIDER_UNAVAILABLE: the platform or the wallet did not answer.' },
  }),
});
