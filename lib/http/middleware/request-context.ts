/** Outermost middleware: resolves dependencies, assigns the request id, logs the outcome and maps errors. */
import { randomUUID } from 'node:crypto';
import type { MiddlewareObj, Request } from '@middy/core';
import { errorResponse, type HttpResponse } from '../error-mapping';
import type { HttpEvent } from '../request';
import { logStartupFailure, type HttpContext, type HttpDeps } from '../context';

/** Creates the request-context middleware for a route. */
export function requestContext<D extends HttpDeps>(
  operationId: string,
  resolveDeps: () => Promise<D>,
): MiddlewareObj<HttpEvent, HttpResponse, Error, HttpContext<D>> {
  const started = new WeakMap<object, number>();

  const before = async (request: Request<HttpEvent, HttpResponse, Error, HttpContext<D>>) => {
    started.set(request, Date.now());
    // The Lambda request id is unique per invocation everywhere (serverless-offline fixes the API Gateway one).
    request.context.requestId = request.context.awsRequestId || randomUUID();
    const deps = await resolveDeps();
    request.context.deps = deps;
    deps.logger.appendKeys({
      requestId: request.context.requestId,
      apiRequestId: request.event.requestContext?.requestId,
      operationId,
    });
  };

  const finish = (request: Request<HttpEvent, HttpResponse, Error, HttpContext<D>>) => {
    const response = request.response;
    if (response) response.headers = { ...response.headers, 'X-Request-Id': request.context.requestId };
    const logger = request.context.deps?.logger;
    if (!logger) return;
    const fields = {
      method: request.event.requestContext?.http?.method,
      path: request.event.rawPath,
      statusCode: response?.statusCode,
      durationMs: Date.now() - (started.get(request) ?? Date.now()),
    };
    if (request.error && (response?.statusCode ?? 500) >= 500)
      logger.error('request failed', { ...fields, error: request.error });
    else if (request.error)
      logger.info('request refused', { ...fields, code: (request.error as { code?: string }).code });
    else logger.info('request completed', fields);
    logger.resetKeys();
  };

  const onError = (request: Request<HttpEvent, HttpResponse, Error, HttpContext<D>>) => {
    request.response = errorResponse(request.error, request.context.requestId ?? 'unknown');
    if (!request.context.deps) logStartupFailure(request.error);
    finish(request);
  };

  return { before, after: finish, onError };
}
