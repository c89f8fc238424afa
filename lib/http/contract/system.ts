/** Health and documentation routes (public). */
import { z } from 'zod';
import { defineRoute } from '../route';

/** `GET /health` */
export const health = defineRoute({
  operationId: 'getHealth',
  method: 'GET',
  path: '/health',
  summary: 'Liveness check',
  tags: ['system'],
  auth: 'public',
  responses: { 200: { description: 'The service is up.', schema: z.object({ status: z.literal('ok') }) } },
});

/** `GET /openapi.json` */
export const openapi = defineRoute({
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  summary: 'This OpenAPI 3 document',
  tags: ['system'],
  auth: 'public',
  responses: { 200: { description: 'The OpenAPI document.' } },
});
