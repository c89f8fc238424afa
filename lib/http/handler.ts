/** Builds a Lambda handler for one route: the middy stack, input validation and the JSON response. */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { appDeps, type AppDeps } from '../config/container';
import { ValidationError } from '../domain/errors';
import type { Caller } from './auth';
import type { HttpResponse } from './error-mapping';
import { authenticate } from './middleware/authenticate';
import { idempotency } from './middleware/idempotency';
import { requestContext } from './middleware/request-context';
import { rawBody, type HttpEvent } from './request';
import { isIdempotent, type RouteAuth, type RouteDefinition } from './route';

/** The Lambda context, extended with what the middlewares establish. */
export interface HttpContext extends Context {
  deps: AppDeps;
  requestId: string;
  caller?: Caller;
  /** The caller-scoped Idempotency-Key, hashed (POST routes): use cases derive business ids from it. */
  requestKey?: string;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A Lambda handler for API Gateway HTTP API events. */
export type LambdaHttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResponse>;

/** The validated input a route's implementation receives. */
export interface RouteInput<B, P, Q, A> {
  readonly body: Parsed<B>;
  readonly params: Parsed<P>;
  readonly query: Parsed<Q>;
  readonly caller: A extends 'public' ? undefined : Caller;
  readonly deps: AppDeps;
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

/** Creates the handler for `route`. Tests pass `resolveDeps` to inject their own dependencies. */
export function httpHandler<
  B extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  A extends RouteAuth,
>(
  route: RouteDefinition<B, P, Q, A>,
  implementation: (input: RouteInput<B, P, Q, A>) => Promise<RouteResult> | RouteResult,
  resolveDeps: () => Promise<AppDeps> = appDeps,
): LambdaHttpHandler {
  const stack = middy<HttpEvent, HttpResponse, Error, HttpContext>()
    .use(requestContext(route.operationId, resolveDeps))
    .use(authenticate(route.auth));
  if (isIdempotent(route)) stack.use(idempotency());
  return stack.handler(async (event, context) => {
    const input = {
      body: route.body ? parse(route.body, readJson(event), 'body') : undefined,
      params: route.params ? parse(route.params, event.pathParameters ?? {}, 'path') : undefined,
      query: route.query ? parse(route.query, event.queryStringParameters ?? {}, 'query') : undefined,
      caller: context.caller,
      deps: context.deps,
      requestId: context.requestId,
      requestKey: context.requestKey,
      event,
    } as RouteInput<B, P, Q, A>;
    return toResponse(await implementation(input));
  }) as unknown as LambdaHttpHandler; // middy types the context as ours; Lambda passes a plain one
}

function readJson(event: HttpEvent): unknown {
  const text = rawBody(event);
  if (text.trim() === '') throw new ValidationError('The request needs a JSON body.');
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
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
