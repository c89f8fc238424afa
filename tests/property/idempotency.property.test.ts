import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../lib/config/container';
import { testDeps } from '../support/dynamo';
import { httpEvent, lambdaContext, tokenFor } from '../support/http';
import { testOrderHandler } from '../support/test-route';

describe('concurrent requests with one Idempotency-Key', () => {
  let deps: AppDeps;
  let token: string;
  beforeAll(async () => {
    deps = await testDeps();
    token = await tokenFor('staff', 'S1');
  });

  it('run the handler exactly once, and every caller (retrying on 409 as told) gets the same response', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 0, max: 30 }),
        async (callers, holdMs) => {
          run += 1;
          const app = testOrderHandler(deps);
          app.state.gate = new Promise((r) => setTimeout(r, holdMs));
          const call = async () => {
            for (let attempt = 0; attempt < 200; attempt++) {
              const res = await app.handler(
                httpEvent('POST', '/test/orders', {
                  body: { amountFen: 4200 },
                  headers: { authorization: `Bearer ${token}`, 'idempotency-key': `concurrent-${run}` },
                }),
                lambdaContext(),
              );
              if (res.statusCode !== 409) return res;
              expect(res.headers['Retry-After']).toBeDefined();
              await new Promise((r) => setTimeout(r, 5)); // the test's stand-in for honouring Retry-After
            }
            throw new Error('never got past 409');
          };
          const responses = await Promise.all(Array.from({ length: callers }, call));
          expect(app.state.runs).toBe(1);
          expect(new Set(responses.map((r) => `${r.statusCode} ${r.body}`)).size).toBe(1);
          expect(responses[0]?.statusCode).toBe(201);
          expect(responses.filter((r) => r.headers['Idempotency-Replayed'] !== 'true')).toHaveLength(1);
        },
      ),
      { numRuns: 15 },
    );
  });
});
