/** Generates the OpenAPI 3.1 document from the route definitions, so it cannot drift from the handlers. */
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import * as z from 'zod/mini';
import { ErrorBody, IdempotencyKeyHeader } from './contract/common';
import { STATUS_BY_CODE } from './error-mapping';
import { isIdempotent, type AnyRoute } from './route';

const IdempotencyKeyHeaderObject = z.object({ 'Idempotency-Key': IdempotencyKeyHeader });

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorBody } },
});

/** Builds the document for `routes`. */
export function openApiDocument(routes: readonly AnyRoute[]): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const responses: Record<string, ZodOpenApiResponseObject> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      responses[status] = r.schema
        ? {
            description: r.description,
            content: { [r.contentType ?? 'application/json']: { schema: r.schema } },
          }
        : { description: r.description };
    }
    if (route.body || route.params || route.query) responses['400'] = errorResponse('VALIDATION_FAILED');
    if (route.auth !== 'public') {
      responses['401'] = errorResponse('UNAUTHENTICATED: missing or invalid token');
      responses['403'] = errorResponse('FORBIDDEN: the role may not call this route');
    }
    if (isIdempotent(route)) {
      responses['400'] = errorResponse('VALIDATION_FAILED or IDEMPOTENCY_KEY_REQUIRED');
      responses['409'] ??= errorResponse('IDEMPOTENCY_KEY_IN_PROGRESS (with Retry-After), or INVALID_STATE');
      responses['422'] ??= errorResponse('IDEMPOTENCY_KEY_REUSED');
    }
    responses['503'] = errorResponse('PROVIDER_UNAVAILABLE or STORAGE_UNAVAILABLE: retry with the same key');

    const operation: ZodOpenApiOperationObject = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [...route.tags],
      security: route.auth === 'public' ? [] : [{ bearer: [] }],
      requestParams: {
        ...(route.params ? { path: route.params as never } : {}),
        ...(route.query ? { query: route.query as never } : {}),
        ...(isIdempotent(route) ? { header: IdempotencyKeyHeaderObject } : {}),
      },
      ...(route.body ? { requestBody: { content: { 'application/json': { schema: route.body } } } } : {}),
      responses,
    };
    if (route.auth !== 'public') operation.description = `Roles: ${route.auth.join(', ')}.`;
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'medpay',
      version: '1.0.0',
      description: `Hospital payments: Alipay, WeChat Pay, pay-later visits, insurance pre-authorisation, copy fees, refunds and finance. Error codes and their statuses: ${Object.entries(
        STATUS_BY_CODE,
      )
        .map(([code, status]) => `${code} ${status}`)
        .join(', ')}.`,
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  });
}
