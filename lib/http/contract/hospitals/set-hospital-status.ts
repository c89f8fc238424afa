/** The `POST /hospitals/{hospitalId}/status` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { Hospital, HospitalParams } from './schemas';

export const setHospitalStatus = defineRoute({
  operationId: 'setHospitalStatus',
  method: 'POST',
  path: '/hospitals/{hospitalId}/status',
  summary: 'Suspend a hospital, or let it act again (platform operator)',
  tags: ['hospitals'],
  auth: ['operator'],
  params: HospitalParams,
  body: z.strictObject({ status: z.enum(['ACTIVE', 'SUSPENDED']) }),
  responses: () => ({
    200: {
      description:
        "The hospital. SUSPENDED: within a minute its tokens answer 403 on every route; its providers' notifications and the scheduled jobs still complete what is under way. ACTIVE: it acts again.",
      schema: Hospital(),
    },
    400: { description: 'VALIDATION_FAILED: status is not ACTIVE or SUSPENDED.' },
    404: { description: 'NOT_FOUND: no hospital of that id is registered.' },
  }),
});
