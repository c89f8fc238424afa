import { describe, expect, it } from 'vitest';
import { handler as healthHandler } from '../../../functions/http/health';
import { handler as whoamiHandler } from '../../../functions/http/whoami';
import { handler as openapiHandler } from '../../../functions/http/openapi';
import servedDocument from '../../../docs/openapi.json';
import { httpHandler } from '../../../lib/http/handler';
import { health } from '../../../lib/http/contract/system';
import { allRoutes } from '../../../lib/http/contract';
import { openApiDocument } from '../../../lib/http/openapi';
import { testDeps } from '../../support/dynamo';
import { httpEvent, lambdaContext } from '../../support/http';
import { testOrderRoute } from '../../support/test-route';

describe('system routes', () => {
  it('GET /health answers 200 {"status":"ok"} with a request id, building nothing', async () => {
    const res = await healthHandler(httpEvent('GET', '/health'), lambdaContext());
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
    expect(res.headers['X-Request-Id']).toBeTruthy();
  });

  it('a route behind the middy stack answers the same through a test container', async () => {
    const deps = await testDeps();
    const handler = httpHandler(
      health,
      async () => ({ status: 200, body: { status: 'ok' } }),
      () => Promise.resolve(deps),
    );
    const res = await handler(httpEvent('GET', '/health'), lambdaContext());
    expect(res.statusCode).toBe(200);
    expect(res.headers['X-Request-Id']).toBeTruthy();
  });

  it('answers 500 INTERNAL, not a crash, when the container cannot be configured', async () => {
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      const res = await whoamiHandler(httpEvent('GET', '/auth/whoami'), lambdaContext());
      expect(res.statusCode).toBe(500);
      expect(JSON.parse(res.body).error.code).toBe('INTERNAL');
      expect(errors.join('\n')).toContain('TABLE_NAME');
    } finally {
      console.error = original;
      if (saved !== undefined) process.env.TABLE_NAME = saved;
    }
  });

  it('GET /openapi.json documents every route with its security, idempotency header and error body', async () => {
    const doc = JSON.parse((await openapiHandler(httpEvent('GET', '/openapi.json'), lambdaContext())).body);
    // The served document is generated ahead of time (npm run openapi): it must be the contract's own.
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument(allRoutes))));
    expect(servedDocument).toEqual(doc);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/openapi.json']));
    expect(doc.components.schemas.Error).toBeDefined();

    const withPost = openApiDocument([...allRoutes, testOrderRoute]) as any;
    const op = withPost.paths['/test/orders'].post;
    expect(op.security).toEqual([{ bearer: [] }]);
    expect(op.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
      ]),
    );
    expect(Object.keys(op.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '422', '503']),
    );
  });
});
