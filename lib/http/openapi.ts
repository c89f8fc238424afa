/**
 * Generates the OpenAPI 3.1 document from the route definitions, so it cannot drift from the handlers.
 * Every response lists the headers it carries and every error status the middleware or the use case can
 * answer; `npm test` lints the document with Redocly and validates the e2e tests' real responses with it.
 */
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import * as z from 'zod/mini';
import { ErrorBody, IdempotencyKeyHeader } from './contract/common';
import { webhookPaths } from './contract/webhooks';
import { STATUS_BY_CODE } from './error-mapping';
import { isIdempotent, type AnyRoute, type RouteResponse } from './route';

const IdempotencyKeyHeaderObject = z.object({ 'Idempotency-Key': IdempotencyKeyHeader() });

type Headers = NonNullable<RouteResponse['headers']>;

/** The headers many responses carry, once in components.headers and referenced. */
const SHARED_HEADERS = {
  'X-Request-Id': {
    description: 'This request’s id; quote it to support (it is in the logs).',
    required: true,
  },
  'Retry-After': { description: 'Seconds to wait before retrying.' },
  'Idempotency-Replayed': {
    description:
      '`true` when this is the stored response of an earlier request with the same Idempotency-Key.',
  },
} as const satisfies Headers;
const headerObject = (h: Headers[string]) => ({
  description: h.description,
  required: h.required ?? false,
  schema: { type: 'string' as const },
});
/** A response's headers: X-Request-Id and the shared ones by reference, its own inline. */
const headerObjects = (headers: Headers) =>
  Object.fromEntries(
    Object.entries({ 'X-Request-Id': SHARED_HEADERS['X-Request-Id'], ...headers }).map(([name, h]) => [
      name,
      name in SHARED_HEADERS ? { $ref: `#/components/headers/${name}` } : headerObject(h),
    ]),
  );

const RETRY_AFTER: Headers = { 'Retry-After': SHARED_HEADERS['Retry-After'] };
const REPLAYED: Headers = { 'Idempotency-Replayed': SHARED_HEADERS['Idempotency-Replayed'] };

const errorResponse = (description: string, headers: Headers = {}): ZodOpenApiResponseObject => ({
  description,
  headers: headerObjects(headers),
  content: { 'application/json': { schema: ErrorBody() } },
});

/** The responses of one route: its own, then the errors the middleware adds. */
function responsesOf(route: AnyRoute): Record<string, ZodOpenApiResponseObject> {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  const idempotent = isIdempotent(route);
  const declared = route.responses();
  for (const [status, r] of Object.entries(declared)) {
    const code = Number(status);
    const headers: Headers = {
      ...(code < 300 && idempotent ? REPLAYED : {}),
      ...(code === 409 && idempotent ? RETRY_AFTER : {}),
      ...r.headers,
    };
    responses[status] =
      code >= 400
        ? errorResponse(r.description, headers)
        : {
            description: r.description,
            headers: headerObjects(headers),
            ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: r.schema } } } : {}),
          };
  }
  if (route.body || route.params || route.query)
    responses['400'] ??= errorResponse('VALIDATION_FAILED: a field is missing or malformed (see `details`).');
  if (route.auth !== 'public') {
    responses['401'] = errorResponse(
      'UNAUTHENTICATED: a missing, invalid or expired token (`exp` is required).',
    );
    responses['403'] = errorResponse(
      `FORBIDDEN: the role may not call this route (allowed: ${route.auth.join(', ')}).`,
    );
  }
  // Every id in a path names a record that may not exist (a day's statement always exists).
  if (route.params && route.operationId !== 'getStatement')
    responses['404'] ??= errorResponse('NOT_FOUND: no such record, or not the caller’s.');
  if (idempotent) {
    const own = (status: string) =>
      declared[Number(status)] ? `${declared[Number(status)]?.description} Or ` : '';
    responses['400'] = errorResponse(`${own('400')}VALIDATION_FAILED, or IDEMPOTENCY_KEY_REQUIRED.`);
    responses['409'] = errorResponse(
      `${own('409')}IDEMPOTENCY_KEY_IN_PROGRESS: the first request with this key is still running (retry after Retry-After).`,
      RETRY_AFTER,
    );
    responses['422'] = errorResponse(
      `${own('422')}IDEMPOTENCY_KEY_REUSED: the key was used with another body.`,
    );
  }
  responses['500'] = errorResponse('INTERNAL: logged; quote the requestId.');
  responses['503'] = errorResponse(
    'PROVIDER_UNAVAILABLE or STORAGE_UNAVAILABLE: nothing was changed; retry with the same Idempotency-Key.',
    RETRY_AFTER,
  );
  return responses;
}

/** Builds the document for `routes`, with the providers' webhooks. */
export function openApiDocument(routes: readonly AnyRoute[]): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
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
      ...(route.body
        ? {
            requestBody: {
              required: route.bodyOptional !== true,
              content: { 'application/json': { schema: route.body } },
            },
          }
        : {}),
      responses: responsesOf(route),
    };
    if (route.auth !== 'public') operation.description = `Roles: ${route.auth.join(', ')}.`;
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'medpay',
      version: '1.0.0',
      description: `Hospital payments: Alipay, WeChat Pay, pay-later visits, insurance pre-authorisation, copy fees, refunds and finance. Errors are \`{"error":{"code","message","requestId"}}\`; the codes and their statuses: ${Object.entries(
        STATUS_BY_CODE,
      )
        .map(([code, status]) => `${code} ${status}`)
        .join(', ')}.`,
      license: { name: 'Proprietary: licensed to the deploying hospital', identifier: 'LicenseRef-medpay' },
    },
    servers: [
      {
        url: '/',
        description:
          'The host serving this document: the hospital’s custom domain (or the API Gateway URL) in production, http://127.0.0.1:3000 under `npm start`.',
      },
    ],
    tags: [
      { name: 'system', description: 'Health, this document and token checks.' },
      { name: 'payments', description: 'Payments and refunds (Alipay, WeChat Pay).' },
      { name: 'visits', description: 'Diagnose first, pay later: credit visits and insurance.' },
      {
        name: 'admissions',
        description: 'Inpatients: deposits paid by anyone, a running balance, and discharge settlement.',
      },
      {
        name: 'disputes',
        description: 'Fee disputes: wallet complaints and the patients’ own, answered in one inbox.',
      },
      { name: 'copy-requests', description: 'Medical-record copies, paid once the fee is known.' },
      { name: 'finance', description: 'Statements and reconciliation.' },
      {
        name: 'webhooks',
        description: 'The providers’ notifications (their signature is the authentication).',
      },
    ],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      headers: Object.fromEntries(Object.entries(SHARED_HEADERS).map(([name, h]) => [name, headerObject(h)])),
    },
    paths: { ...paths, ...webhookPaths },
  });
}
