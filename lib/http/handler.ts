/** Builds a Lambda handler for one route: the middy stack, input validation and the JSON response. */
import middy from '@middy/core';
import type * as z from 'zod/mini';
import { ValidationError } from '../domain/errors';
import type { Caller } from './auth';
import type { HttpContext, HttpDeps, LambdaHttpHandler } from './context';
import type { HttpResponse } from './error-mapping';
import { authenticate } from './middleware/authenticate';
import { idempotency } from './middleware/idempotency';
import { requestContext } from './middleware/request-context';
import { rawBody, type HttpEvent } from './request';
import { isIdempotent, type RouteAuth, type RouteDefinition } from './route';

export type { HttpContext, HttpDeps, LambdaHttpHandler } from './context';

type Parsed<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

/** The validated input a route's implementation receives, with the function's own dependencies. */
export interface RouteInput<B, P, Q, A, D extends HttpDeps = HttpDeps> {
  readonly body: Parsed<B>;
  readonly params: Parsed<P>;
  readonly query: Parsed<Q>;
  readonly caller: A extends 'public' ? undefined : Caller;
  readonly deps: D;
  readonly requestId: string;
  /** Set on POST routes: the hashed caller-scoped Idempotency-Key, the same for every attempt of a request. */
  readonly requestKey?: string;
  readonly event: HttpEvent;
}

/** What a route returns: a status and a JSON body, or a raw body with its content type. */
export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly raw?: { readonly contentType: string; readonly body: string };
  readonly headers?: Readonly<Record<string, string>>;
}

/** Creates the handler for `route`; `resolveDeps` builds the function's dependencies (once per container). */
export function httpHandler<
  B extends z.ZodMiniType | undefined,
  P extends z.ZodMiniType | undefined,
  Q extends z.ZodMiniType | undefined,
  A extends RouteAuth,
  D extends HttpDeps,
>(
  route: RouteDefinition<B, P, Q, A>,
  implementation: (input: RouteInput<B, P, Q, A, D>) => Promise<RouteResult> | RouteResult,
  resolveDeps: () => Promise<D>,
): LambdaHttpHandler {
  const stack = middy<HttpEvent, HttpResponse, Error, HttpContext<D>>()
    .use(requestContext<D>(route.operationId, resolveDeps))
    .use(authenticate<D>(route.auth));
  if (isIdempotent(route)) stack.use(idempotency<D>());
  return stack.handler(async (event, context) => {
    const input = {
      body: route.body ? parse(route.body, readJson(event, route.bodyOptional === true), 'body') : undefined,
      params: route.params ? parse(route.params, event.pathParameters ?? {}, 'path') : undefined,
      query: route.query ? parse(route.query, event.queryStringParameters ?? {}, 'query') : undefined,
      caller: context.caller,
      deps: context.deps,
      requestId: context.requestId,
      requestKey: context.requestKey,
      event,
    } as RouteInput<B, P, Q, A, D>;
    return toResponse(await implementation(input));
  }) as unknown as LambdaHttpHandler; // middy types the context as ours; Lambda passes a plain one
}

/** The JSON body; an empty one is `{}` where the route's body is optional, and a 400 elsewhere. */
function readJson(event: HttpEvent, optional: boolean): unknown {
  const text = rawBody(event);
  if (text.trim() === '') {
    if (optional) return {};
    throw new ValidationError('The request needs a JSON body.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
}

function parse<S extends z.ZodMiniType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new ValidationError(
    `The request ${where} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`,
    issues,
  );
}

function toResponse(result: RouteResult): HttpResponse {
  if (result.raw) {
    return {
      statusCode: result.status,
      headers: { 'Content-Type': result.raw.contentType, ...result.headers },
      body: result.raw.body,
    };
  }
  return {
    statusCode: result.status,
    headers: { 'Content-Type': 'application/json', ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}
