import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../lib/adapters/system/logger';
import { StorageUnavailableError, ValidationError } from '../../../lib/domain/errors';
import { jobHandler } from '../../../lib/http/job';

/** A real logger writing into `lines`, as the jobs' own does into stdout. */
function logged() {
  const lines: string[] = [];
  const logger = createLogger('INFO', 'test', (line) => lines.push(line));
  return { lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), logger };
}

describe('jobHandler', () => {
  it('runs the use case with its dependencies and event, and logs one line with the result and the request id', async () => {
    const { logger, parsed } = logged();
    const handler = jobHandler(
      'sweep',
      ({
        event,
        deps,
        requestId,
      }: {
        event: { n: number };
        deps: { logger: typeof logger };
        requestId: string;
      }) => Promise.resolve({ doubled: event.n * 2, sameLogger: deps.logger === logger, requestId }),
      () => Promise.resolve({ logger }),
    );
    const result = await handler({ n: 21 }, { awsRequestId: 'req-1' } as never);
    expect(result).toEqual({ doubled: 42, sameLogger: true, requestId: 'req-1' });
    expect(parsed()).toMatchObject([{ message: 'sweep finished', requestId: 'req-1', job: 'sweep', result }]);
  });

  it('logs a failure with the code and status the API gives that error, and throws it so EventBridge retries', async () => {
    const { logger, parsed } = logged();
    const outage = new StorageUnavailableError('down');
    const failing = jobHandler(
      'relay',
      () => Promise.reject(outage),
      () => Promise.resolve({ logger }),
    );
    await expect(failing(undefined)).rejects.toBe(outage);
    const refused = jobHandler(
      'relay',
      () => Promise.reject(new ValidationError('bad input')),
      () => Promise.resolve({ logger }),
    );
    await expect(refused(undefined)).rejects.toThrow('bad input');
    expect(parsed()).toMatchObject([
      { level: 'ERROR', message: 'relay failed', code: 'STORAGE_UNAVAILABLE', statusCode: 503 },
      { level: 'ERROR', message: 'relay failed', code: 'VALIDATION_FAILED', statusCode: 400 },
    ]);
  });

  it('throws when its dependencies cannot be built, and runs nothing', async () => {
    let ran = false;
    const broken = jobHandler(
      'visit jobs',
      () => {
        ran = true;
        return Promise.resolve();
      },
      () => Promise.reject(new Error('secret store unreachable')),
    );
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (line: unknown) => errors.push(line);
    try {
      await expect(broken(undefined)).rejects.toThrow('secret store unreachable');
    } finally {
      console.error = original;
    }
    expect(ran).toBe(false);
    expect(String(errors[0])).toContain('startup failed');
  });
});
