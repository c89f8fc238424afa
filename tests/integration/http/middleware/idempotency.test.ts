import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ThrottlingException } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../../lib/config/container';
import { createDocumentClient } from '../../../../lib/adapters/dynamodb/client';
import { dynamoIdempotencyStore } from '../../../../lib/adapters/dynamodb/idempotency-store';
import { testDeps } from '../../../support/dynamo';
import { httpEvent, lambdaContext, tokenFor } from '../../../support/http';
import { testOrderHandler } from '../../../support/test-route';
import { hospitalKeys } from '../../../../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

/** A clock the test moves by hand. */
function manualClock(start = '2026-03-01T02:00:00Z') {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('Idempotency-Key on a real handler and DynamoDB Local', () => {
  let deps: AppDeps;
  let clock: ReturnType<typeof manualClock>;
  let app: ReturnType<typeof testOrderHandler>;
  let patient: string;

  beforeEach(async () => {
    clock = manualClock();
    deps = await testDeps({ clock });
    app = testOrderHandler(deps);
    patient = await tokenFor('patient', 'P1');
  });

  const post = (body: unknown, headers: Record<string, string> = {}, path = '/test/orders') =>
    app.handler(
      httpEvent('POST', path, { body, headers: { authorization: `Bearer ${patient}`, ...headers } }),
      lambdaContext(),
    );
  const json = (r: { body: string }) => JSON.parse(r.body) as Record<string, any>;

  it('refuses a POST without a key, or with one over 255 characters, with 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
    for (const headers of [{}, { 'idempotency-key': 'k'.repeat(256) }] as Record<string, string>[]) {
      const res = await post({ amountFen: 100 }, headers);
      expect(res.statusCode).toBe(400);
      expect(json(res).error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      expect(json(res).error.requestId).toBeTruthy();
    }
    expect(app.state.runs).toBe(0);
  });

  it('replays the stored status and body with Idempotency-Replayed: true, running the handler once', async () => {
    const first = await post({ amountFen: 2500 }, { 'Idempotency-Key': 'k-1' });
    expect(first.statusCode).toBe(201);
    expect(first.headers['Idempotency-Replayed']).toBeUndefined();
    const again = await post({ amountFen: 2500 }, { 'Idempotency-Key': 'k-1' });
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers['Idempotency-Replayed']).toBe('true');
    expect(again.headers['Content-Type']).toBe('application/json');
    expect(app.state.runs).toBe(1);
  });

  it('treats the same JSON with other key order and spacing as the same request', async () => {
    await post('{"amountFen":1,"note":"x"}', { 'Idempotency-Key': 'k-json' });
    const again = await post('{ "note": "x",   "amountFen": 1 }', { 'Idempotency-Key': 'k-json' });
    expect(again.headers['Idempotency-Replayed']).toBe('true');
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with a different body', async () => {
    await post({ amountFen: 2500 }, { 'Idempotency-Key': 'k-2' });
    const reused = await post({ amountFen: 9999 }, { 'Idempotency-Key': 'k-2' });
    expect(reused.statusCode).toBe(422);
    expect(json(reused).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(app.state.runs).toBe(1);
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_PROGRESS with Retry-After while the first request runs, then replays', async () => {
    let release!: () => void;
    app.state.gate = new Promise<void>((r) => (release = r));
    const first = post({ amountFen: 300 }, { 'Idempotency-Key': 'k-3' });
    await expect.poll(() => app.state.runs).toBe(1);
    const concurrent = await post({ amountFen: 300 }, { 'Idempotency-Key': 'k-3' });
    expect(concurrent.statusCode).toBe(409);
    expect(json(concurrent).error.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(Number(concurrent.headers['Retry-After'])).toBeGreaterThan(0);
    release();
    expect((await first).statusCode).toBe(201);
    const later = await post({ amountFen: 300 }, { 'Idempotency-Key': 'k-3' });
    expect(later.headers['Idempotency-Replayed']).toBe('true');
    expect(app.state.runs).toBe(1);
  });

  it('does not store a 5xx: the retry runs again', async () => {
    const crashed = await post({ amountFen: 1, fail: 'crash' }, { 'Idempotency-Key': 'k-4' });
    expect(crashed.statusCode).toBe(500);
    expect(json(crashed).error.code).toBe('INTERNAL');
    expect(json(crashed).error.message).not.toContain('simulated'); // no internals in a 5xx
    const retried = await post({ amountFen: 1, fail: 'crash' }, { 'Idempotency-Key': 'k-4' });
    expect(retried.headers['Idempotency-Replayed']).toBeUndefined();
    expect(app.state.runs).toBe(2);
  });

  it('stores a 4xx answer and replays it', async () => {
    const refused = await post({ amountFen: 1, fail: 'conflict' }, { 'Idempotency-Key': 'k-5' });
    expect(refused.statusCode).toBe(409);
    expect(json(refused).error.code).toBe('INVALID_STATE');
    const replay = await post({ amountFen: 1, fail: 'conflict' }, { 'Idempotency-Key': 'k-5' });
    expect(replay.statusCode).toBe(409);
    expect(replay.body).toBe(refused.body);
    expect(replay.headers['Idempotency-Replayed']).toBe('true');
    expect(app.state.runs).toBe(1);
  });

  it('stores a validation failure (400) too, so a retry gets the same answer', async () => {
    const invalid = await post({ amountFen: 12.5 }, { 'Idempotency-Key': 'k-6' });
    expect(invalid.statusCode).toBe(400);
    expect(json(invalid).error.code).toBe('VALIDATION_FAILED');
    expect(json(invalid).error.details[0].path).toBe('body.amountFen');
    expect(
      (await post({ amountFen: 12.5 }, { 'Idempotency-Key': 'k-6' })).headers['Idempotency-Replayed'],
    ).toBe('true');
  });

  it('scopes keys to the caller and the route', async () => {
    await post({ amountFen: 5 }, { 'Idempotency-Key': 'shared' });
    const otherCaller = await app.handler(
      httpEvent('POST', '/test/orders', {
        body: { amountFen: 5 },
        headers: { authorization: `Bearer ${await tokenFor('patient', 'P2')}`, 'idempotency-key': 'shared' },
      }),
      lambdaContext(),
    );
    expect(otherCaller.statusCode).toBe(201);
    expect(otherCaller.headers['Idempotency-Replayed']).toBeUndefined();
    expect(json(otherCaller).owner).toBe('P2');
    const otherRoute = await post({ amountFen: 5 }, { 'Idempotency-Key': 'shared' }, '/test/orders/other');
    expect(otherRoute.headers['Idempotency-Replayed']).toBeUndefined();
    expect(app.state.runs).toBe(3);
  });

  it('keeps a record 24 h through the table TTL, then runs the request anew', async () => {
    await post({ amountFen: 7 }, { 'Idempotency-Key': 'k-ttl' });
    const scope = ['default', 'P1', 'POST', '/test/orders', 'k-ttl'].join('\n');
    const { Item } = await deps.dynamo.send(
      new GetCommand({ TableName: deps.config.tableName, Key: HOSPITAL.idempotency(scope) }),
    );
    expect(Item?.expiresAtEpochSec).toBe(Math.floor(clock.now().getTime() / 1000) + 86_400);
    expect(Item?.status).toBe('COMPLETED');
    expect(JSON.stringify(Item)).not.toContain('k-ttl'); // the key and caller are stored only hashed

    clock.advance(86_399_000);
    expect(
      (await post({ amountFen: 7 }, { 'Idempotency-Key': 'k-ttl' })).headers['Idempotency-Replayed'],
    ).toBe('true');
    clock.advance(2_000); // past the TTL; DynamoDB may not have deleted the item yet
    expect(
      (await post({ amountFen: 7 }, { 'Idempotency-Key': 'k-ttl' })).headers['Idempotency-Replayed'],
    ).toBeUndefined();
    expect(app.state.runs).toBe(2);
  });

  it('lets a retry take over a claim whose Lambda died mid-request once its lock lapses', async () => {
    // Simulate the crash: claim the key directly, as a request that never finished would have.
    const scope = ['default', 'P1', 'POST', '/test/orders', 'k-dead'].join('\n');
    const { requestHash } = await import('../../../../lib/http/middleware/idempotency');
    const hash = requestHash(httpEvent('POST', '/test/orders', { body: { amountFen: 8 } }));
    await deps.idempotency.begin(scope, hash, { lockMs: 10_000 });
    expect((await post({ amountFen: 8 }, { 'Idempotency-Key': 'k-dead' })).statusCode).toBe(409);
    clock.advance(10_001);
    const takeover = await post({ amountFen: 8 }, { 'Idempotency-Key': 'k-dead' });
    expect(takeover.statusCode).toBe(201);
    expect(app.state.runs).toBe(1);
  });

  it('answers 401 without a token and 403 for a wrong role, storing nothing', async () => {
    const anonymous = await app.handler(
      httpEvent('POST', '/test/orders', { body: { amountFen: 1 }, headers: { 'idempotency-key': 'k-auth' } }),
      lambdaContext(),
    );
    expect(anonymous.statusCode).toBe(401);
    expect(json(anonymous).error.code).toBe('UNAUTHENTICATED');
    const finance = await app.handler(
      httpEvent('POST', '/test/orders', {
        body: { amountFen: 1 },
        headers: { authorization: `Bearer ${await tokenFor('finance')}`, 'idempotency-key': 'k-auth' },
      }),
      lambdaContext(),
    );
    expect(finance.statusCode).toBe(403);
    expect(json(finance).error.code).toBe('FORBIDDEN');
    expect((await post({ amountFen: 1 }, { 'Idempotency-Key': 'k-auth' })).statusCode).toBe(201);
  });

  it('answers 503 STORAGE_UNAVAILABLE, without running the handler, when the store throttles', async () => {
    const faulty = createDocumentClient({ region: 'cn-north-1', endpoint: 'http://127.0.0.1:9' });
    mockClient(faulty)
      .on(PutCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    const throttled = testOrderHandler({
      ...deps,
      idempotency: dynamoIdempotencyStore(
        faulty,
        deps.config.tableName,
        clock,
        {
          ttlSec: 86_400,
          retryAfterSec: 1,
        },
        HOSPITAL,
      ),
    });
    const res = await throttled.handler(
      httpEvent('POST', '/test/orders', {
        body: { amountFen: 1 },
        headers: { authorization: `Bearer ${patient}`, 'idempotency-key': 'k-503' },
      }),
      lambdaContext(),
    );
    expect(res.statusCode).toBe(503);
    expect(json(res).error.code).toBe('STORAGE_UNAVAILABLE');
    expect(res.headers['Retry-After']).toBe('1');
    expect(throttled.state.runs).toBe(0);
  });
});
