/** The `GET /hospitals` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { Hospital } from './schemas';

export const listHospitals = defineRoute({
  operationId: 'listHospitals',
  method: 'GET',
  path: '/hospitals',
  summary: 'Every registered hospital, oldest first (platform operator)',
  tags: ['hospitals'],
  auth: ['operator'],
  responses: () => ({
    200: { description: 'The hospitals.', schema: z.object({ items: z.array(Hospital()) }) },
  }),
});
