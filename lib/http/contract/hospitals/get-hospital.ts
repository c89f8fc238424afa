/** The `GET /hospitals/{hospitalId}` route. */
import { defineRoute } from '../../route';
import { Hospital, HospitalParams } from './schemas';

export const getHospital = defineRoute({
  operationId: 'getHospital',
  method: 'GET',
  path: '/hospitals/{hospitalId}',
  summary: 'One registered hospital and its channels (platform operator)',
  tags: ['hospitals'],
  auth: ['operator'],
  params: HospitalParams,
  responses: () => ({
    200: { description: 'The hospital.', schema: Hospital() },
    404: { description: 'NOT_FOUND: no hospital of that id is registered.' },
  }),
});
