/** The `GET /admissions/{admissionId}` route. */
import { defineRoute } from '../../route';
import { AdmissionParams, AdmissionView } from './schemas';

export const getAdmission = defineRoute({
  operationId: 'getAdmission',
  method: 'GET',
  path: '/admissions/{admissionId}',
  summary: 'An admission: its balance, top-ups and discharge settlement',
  tags: ['admissions'],
  auth: ['patient', 'staff', 'finance'],
  params: AdmissionParams,
  responses: () => ({
    200: { description: 'The admission (patients: their own).', schema: AdmissionView() },
    404: { description: 'NOT_FOUND' },
  }),
});
