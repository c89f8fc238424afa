/** Health and documentation routes (public). */
import * as z from 'zod/mini';
import { defineRoute } from '../route';

/** `GET /health` */
export const health = defineRoute({
  operationId: 'getHealth',
  method: 'GET',
  path: '/health',
  summary: 'Liveness check',
  tags: ['system'],
  auth: 'public',
  responses: () => ({
    200: { description: 'The service is up.', schema: z.object({ status: z.literal('ok') }) },
  }),
});

/** `GET /openapi.json` */
export const openapi = defineRoute({
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  summary: 'This OpenAPI 3 document',
  tags: ['system'],
  auth: 'public',
  responses: () => ({
    200: {
      description: 'The OpenAPI document.',
      schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
    },
  }),
});

/** `GET /auth/whoami`: lets an integrator check a token; echoes its subject and role. */
export const whoami = defineRoute({
  operationId: 'getWhoAmI',
  method: 'GET',
  path: '/auth/whoami',
  summary: 'The caller identified by the bearer token',
  tags: ['system'],
  auth: ['patient', 'staff', 'finance', 'admin'],
  responses: () => ({
    200: {
      description: 'The token is valid.',
      schema: z.object({ sub: z.string(), role: z.enum(['patient', 'staff', 'finance', 'admin']) }),
    },
  }),
});
