/**
 * A route whose body API.md leaves out may be called without one (#19: `POST /visits/{id}/settle` with no
 * body answered 400 "The request needs a JSON body."), while a route that needs a body still says so.
 * The real route definitions run through the real middy stack on DynamoDB Local; only the use case is a
 * probe that reports the body it was given.
 */
import { describe, expect, it } from 'vitest';
import { httpHandler } from '../../../lib/http/handler';
import { settleVisit } from '../../../lib/http/contract/visits/settle-visit';
import { openApiDocument } from '../../../lib/http/openapi';
import { allRoutes } from '../../../lib/http/contract';
import { testDeps } from '../../support/dynamo';
import { httpEvent, lambdaContext, tokenFor } from '../../support/http';
import { testOrderHandler } from '../../support/test-route';

describe('optional request bodies', () => {
  it('POST /visits/{id}/settle without a body runs with the body schema’s defaults', async () => {
    const deps = await testDeps();
    const handler = httpHandler(
      settleVisit,
      ({ body, params }) => ({ status: 200, body: { visitId: params.visitId, given: body } }),
      () => Promise.resolve(deps),
    );
    const staff = await tokenFor('staff', 'S1');
    for (const body of [undefined, '', '  \n'] as const) {
      const event = httpEvent('POST', '/visits/V1/settle', {
        headers: { authorization: `Bearer ${staff}`, 'idempotency-key': `settle-${JSON.stringify(body)}` },
        pathParameters: { visitId: 'V1' },
      });
      const res = await handler({ ...event, body }, lambdaContext());
      expect([JSON.stringify(body), res.statusCode]).toEqual([JSON.stringify(body), 200]);
      expect(JSON.parse(res.body)).toEqual({ visitId: 'V1', given: { asSelfPay: false } });
    }
  });

  it('a route whose body is required still answers 400 VALIDATION_FAILED without one', async () => {
    const deps = await testDeps();
    const app = testOrderHandler(deps);
    const patient = await tokenFor('patient', 'P1');
    const event = httpEvent('POST', '/test/orders', {
      headers: { authorization: `Bearer ${patient}`, 'idempotency-key': 'no-body' },
    });
    const res = await app.handler({ ...event, body: undefined }, lambdaContext());
    expect(res.statusCode).toBe(400);
    expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    expect(app.state.runs).toBe(0);
  });

  it('the OpenAPI document says which bodies are required', () => {
    const doc = JSON.parse(JSON.stringify(openApiDocument(allRoutes))) as {
      paths: Record<string, Record<string, { requestBody?: { required?: boolean } }>>;
    };
    expect(doc.paths['/visits/{visitId}/settle']?.post?.requestBody?.required).toBe(false);
    expect(doc.paths['/payments']?.post?.requestBody?.required).toBe(true);
  });
});
