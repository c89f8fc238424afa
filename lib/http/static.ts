/**
 * A public route whose answer needs no dependencies (liveness, the OpenAPI document): no middy stack, no
 * container, so its bundle stays close to an empty one and it answers even before anything is configured.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { LambdaHttpHandler } from './context';
import type { HttpEvent } from './request';

/** Creates a handler that always answers `body` (JSON) with status 200 and a request id. */
export function staticHandler(body: string): LambdaHttpHandler {
  return (_event: HttpEvent, context: Context) =>
    Promise.resolve({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': context.awsRequestId || randomUUID() },
      body,
    });
}
