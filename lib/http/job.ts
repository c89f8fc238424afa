/**
 * The scheduled and event-driven entry point, in the shape every entry point has (what it serves, the use
 * case, the composer): the function's dependencies, a request id and logger keys per invocation, one log
 * line with the result, and a failure logged with the API's code and status (classifyError) and thrown, so
 * that EventBridge retries it and, past its retries, sends it to the dead-letter queue.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { Logger } from '../ports/logger';
import { logStartupFailure } from './context';
import { classifyError } from './error-mapping';

/** What a job needs from its dependencies: a logger. */
export interface JobDeps {
  readonly logger: Logger;
}

/** What the job's use case receives. */
export interface JobInput<E, D extends JobDeps> {
  readonly event: E;
  readonly deps: D;
  readonly requestId: string;
}

/** The dependencies a composer builds (to annotate a job's input where its event type must be named). */
export type Composed<C extends () => Promise<unknown>> = Awaited<ReturnType<C>>;

/** Creates the handler of a job named `name` (its log lines say so). */
export function jobHandler<E, R, D extends JobDeps>(
  name: string,
  run: (input: JobInput<E, D>) => Promise<R>,
  resolveDeps: () => Promise<D>,
): (event: E, context?: Context) => Promise<R> {
  return async (event, context) => {
    const requestId = context?.awsRequestId || randomUUID();
    let deps: D;
    try {
      deps = await resolveDeps();
    } catch (error) {
      logStartupFailure(error, { job: name });
      throw error;
    }
    const started = Date.now();
    deps.logger.appendKeys({ requestId, job: name });
    try {
      const result = await run({ event, deps, requestId });
      deps.logger.info(`${name} finished`, { result, durationMs: Date.now() - started });
      return result;
    } catch (error) {
      const { code, statusCode } = classifyError(error);
      deps.logger.error(`${name} failed`, { code, statusCode, error, durationMs: Date.now() - started });
      throw error;
    } finally {
      deps.logger.resetKeys();
    }
  };
}
