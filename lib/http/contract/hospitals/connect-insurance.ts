/** The `POST /hospitals/{hospitalId}/insurance` route. */
import { defineRoute } from '../../route';
import { Hospital, HospitalInsuranceBody, HospitalParams } from './schemas';

export const connectInsurance = defineRoute({
  operationId: 'connectInsurance',
  method: 'POST',
  path: '/hospitals/{hospitalId}/insurance',
  summary: "Connect the hospital's medical-insurance identity (platform operator)",
  tags: ['hospitals'],
  auth: ['operator'],
  params: HospitalParams,
  body: HospitalInsuranceBody(),
  responses: () => ({
    200: {
      description:
        "The hospital: its insured payments and visits' insurance now go to the platform as this hospital, at once.",
      schema: Hospital(),
    },
    400: {
      description:
        "VALIDATION_FAILED: a field is missing or too long, or the hospital's platform keys are not in the parameter store yet (or are not the four the envelope needs).",
    },
    404: { description: 'NOT_FOUND: no hospital of that id is registered.' },
  }),
});
