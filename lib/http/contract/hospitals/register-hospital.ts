/** The `POST /hospitals` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { Hospital, HospitalIdText, HospitalName } from './schemas';

export const registerHospital = defineRoute({
  operationId: 'registerHospital',
  method: 'POST',
  path: '/hospitals',
  summary: 'Register a hospital on this deployment (platform operator)',
  tags: ['hospitals'],
  auth: ['operator'],
  body: z.strictObject({ hospitalId: HospitalIdText(), name: HospitalName() }),
  responses: () => ({
    201: { description: 'The hospital, ACTIVE, with no channel yet.', schema: Hospital() },
    400: { description: 'VALIDATION_FAILED: a malformed id or name.' },
    409: {
      description: 'CONCURRENT_MODIFICATION: the id is registered already, or is the default hospital.',
    },
  }),
});
