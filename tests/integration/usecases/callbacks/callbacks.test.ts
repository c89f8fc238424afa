/**
 * Callbacks to the HIS against DynamoDB Local and a real HTTP server: fan-out, signatures, per-entity order,
 * retries with backoff, giving up, rotation, disabling, the event log and redelivery.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCallbackSender } from '../../../../lib/adapters/callbacks/http-sender';
import { hmacCallbackSigner, verifySignature } from '../../../../lib/adapters/callbacks/signing';
import type { AppDeps } from '../../../../lib/config/container';
import type { DomainEventType } from '../../../../lib/domain/events';
import { deliverDue, fanOut } from '../../../../lib/usecases/callbacks/deliveries';
import {
  disableEndpointById,
  listEndpoints,
  registerEndpoint,
  revealSecret,
  rotateSecret,
} from '../../../../lib/usecases/callbacks/endpoints';
import { getEvent, listEvents, redeliverEvent } from '../../../../lib/usecases/callbacks/events';
import { testDeps } from '../../../support/dynamo';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('callbacks to the HIS', () => {
  const received: Received[] = [];
  /** Status to answer per path, consumed one by one (then 200). */
  const answers = new Map<string, number[]>();
  let server: Server;
  let base: string;
  let now = new Date();
  let deps: AppDeps;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const path = req.url ?? '';
        received.push({ path, headers: req.headers, body });
        res.statusCode = answers.get(path)?.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    deps = await testDeps({
      clock: { now: () => now },
      callbacks: {
        signer: hmacCallbackSigner(() => Promise.resolve('k'.repeat(32))),
        sender: httpCallbackSender(2_000),
        retryBaseMs: 30_000,
        retryForMs: 24 * 3_600_000,
        allowHttp: true,
      },
    });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** Commits one event (as a use case would) and fans it out, as the relay does. */
  async function happen(type: DomainEventType, payload: Record<string, unknown>) {
    const event = { eventId: deps.ids.next('event'), type, occurredAt: now, payload };
    await deps.ledger.commit({ entities: [], events: [event] });
    await fanOut(deps, event);
    return event;
  }
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  const at = (path: string) => received.filter((r) => r.path === path);

  it('refuses an http endpoint where the stage requires https, and unknown event types', async () => {
    const strict = { ...deps, callbacks: { ...deps.callbacks, allowHttp: false } };
    await expect(
      registerEndpoint(strict, { url: `${base}/x`, events: ['*'], createdBy: 'admin:A' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      registerEndpoint(deps, {
        url: 'https://his.example/x',
        events: ['PaymentRefunded'],
        createdBy: 'admin:A',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      registerEndpoint(deps, { url: 'https://user:pw@his.example/x', events: ['*'], createdBy: 'admin:A' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('signs each event, sends one entity’s events in order, and retries a failing endpoint with backoff', async () => {
    const endpoint = await registerEndpoint(deps, {
      url: `${base}/his`,
      events: ['PaymentSucceeded', 'RefundSucceeded'],
      createdBy: 'admin:A',
    });
    const other = await registerEndpoint(deps, {
      url: `${base}/visits-only`,
      events: ['VisitSettled'],
      createdBy: 'admin:A',
    });
    const { secret } = await revealSecret(deps, endpoint.endpointId);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    answers.set('/his', [500, 500, 500]);
    const paid = await happen('PaymentSucceeded', { paymentId: 'pay_A', amountFen: 100 });
    const refunded = await happen('RefundSucceeded', {
      refundId: 'rfd_A',
      paymentId: 'pay_A',
      amountFen: 100,
    });
    expect(await deliverDue(deps)).toMatchObject({ retrying: 1, waiting: 1 }); // the refund waits its turn
    // 30 s, 60 s, 120 s later: attempts 2, 3 (500) and 4 (200); the refund goes only after the payment.
    for (const delay of [30_000, 60_000, 120_000]) {
      advance(delay - 1);
      expect((await deliverDue(deps)).retrying + (await deliverDue(deps)).delivered).toBe(0); // not yet due
      advance(1);
      await deliverDue(deps);
    }
    await deliverDue(deps); // the refund, now at the head of its lane
    const his = at('/his');
    expect(his.map((r) => [r.headers['medpay-event-id'], r.headers['medpay-event-type']])).toEqual([
      ...Array(4).fill([paid.eventId, 'PaymentSucceeded']),
      [refunded.eventId, 'RefundSucceeded'],
    ]);
    for (const r of his) {
      const header = String(r.headers['medpay-signature']);
      expect(verifySignature(header, r.body, secret, Math.floor(now.getTime() / 1000), 600)).toBe(true);
      // The documented scheme, computed here from its definition: hex HMAC-SHA256(secret, "t.body").
      const t = /^t=(\d+),/.exec(header)?.[1];
      const mac = createHmac('sha256', secret).update(`${t}.${r.body}`).digest('hex');
      expect(header).toBe(`t=${t},v1=${mac}`);
      expect(verifySignature(header, r.body.replace('100', '101'), secret, Number(t))).toBe(false);
      expect(verifySignature(header, r.body, 'whsec_forged', Number(t))).toBe(false);
      expect(verifySignature(header, r.body, secret, Number(t) + 301)).toBe(false); // stale
    }
    expect(JSON.parse(his[4]?.body ?? '')).toEqual({
      id: refunded.eventId,
      type: 'RefundSucceeded',
      createdAt: refunded.occurredAt.toISOString(),
      data: { refundId: 'rfd_A', paymentId: 'pay_A', amountFen: 100 },
    });
    expect(at('/visits-only')).toEqual([]); // not subscribed
    void other;

    const { deliveries } = await getEvent(deps, paid.eventId);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'DELIVERED', endpointId: endpoint.endpointId });
    expect(deliveries[0]?.attempts.map((a) => a.httpStatus)).toEqual([500, 500, 500, 200]);
    expect(deliveries[0]?.nextAttemptAt).toBeUndefined();
  });

  it('gives up after the retry window, and the lane moves on', async () => {
    const endpoint = await registerEndpoint(deps, {
      url: `${base}/down`,
      events: ['*'],
      createdBy: 'admin:A',
    });
    answers.set('/down', Array(100).fill(503));
    const first = await happen('VisitOpened', { visitId: 'vis_D', patientId: 'P' });
    const second = await happen('VisitSettled', { visitId: 'vis_D', patientId: 'P' });
    for (let hour = 0; hour <= 25; hour++) {
      await deliverDue(deps);
      advance(3_600_000);
    }
    const failed = (await getEvent(deps, first.eventId)).deliveries.find(
      (d) => d.endpointId === endpoint.endpointId,
    );
    expect(failed?.status).toBe('FAILED');
    expect(failed?.attempts.length).toBeGreaterThan(5);
    expect(failed?.attempts.every((a) => a.httpStatus === 503)).toBe(true);
    // The second event's delivery went after the first gave up (it too fails, on its own clock).
    const next = (await getEvent(deps, second.eventId)).deliveries.find(
      (d) => d.endpointId === endpoint.endpointId,
    );
    expect(next?.attempts.length).toBeGreaterThan(0);
    expect(new Date(next?.attempts[0]?.at ?? 0).getTime()).toBeGreaterThan(
      new Date(failed?.attempts.at(-1)?.at ?? 0).getTime(),
    );
    // Its window counts from the event, so having waited behind the first it gets a last try only.
    expect(next?.status).toBe('FAILED');

    // Disabling ends what is pending without another POST.
    const third = await happen('VisitOverdue', { visitId: 'vis_E', patientId: 'P' });
    await deliverDue(deps);
    const posts = at('/down').length;
    await disableEndpointById(deps, endpoint.endpointId);
    advance(3_600_000);
    await deliverDue(deps);
    const afterDisable = (await getEvent(deps, third.eventId)).deliveries.find(
      (d) => d.endpointId === endpoint.endpointId,
    );
    expect(afterDisable?.status).toBe('FAILED');
    expect(afterDisable?.attempts.map((a) => a.httpStatus ?? a.error)).toEqual([503, 'endpoint disabled']);
    expect(at('/down')).toHaveLength(posts);
    await expect(disableEndpointById(deps, endpoint.endpointId)).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('signs with both secrets during a rotation’s overlap, then with the new one only', async () => {
    const endpoint = await registerEndpoint(deps, {
      url: `${base}/rotating`,
      events: ['PaymentClosed'],
      createdBy: 'admin:A',
    });
    const old = (await revealSecret(deps, endpoint.endpointId)).secret;
    const rotated = await rotateSecret(deps, endpoint.endpointId, 3_600);
    expect(rotated.secretVersion).toBe(2);
    const fresh = (await revealSecret(deps, endpoint.endpointId)).secret;
    expect(fresh).not.toBe(old);
    await happen('PaymentClosed', { paymentId: 'pay_R1' });
    await deliverDue(deps);
    advance(3_600_001);
    await happen('PaymentClosed', { paymentId: 'pay_R2' });
    await deliverDue(deps);
    const [during, after] = at('/rotating');
    const t = (r?: Received) => Number(/^t=(\d+)/.exec(String(r?.headers['medpay-signature']))?.[1]);
    expect(String(during?.headers['medpay-signature']).match(/v1=/g)).toHaveLength(2);
    for (const s of [old, fresh])
      expect(
        verifySignature(String(during?.headers['medpay-signature']), during?.body ?? '', s, t(during)),
      ).toBe(true);
    expect(
      verifySignature(String(after?.headers['medpay-signature']), after?.body ?? '', old, t(after)),
    ).toBe(false);
    expect(
      verifySignature(String(after?.headers['medpay-signature']), after?.body ?? '', fresh, t(after)),
    ).toBe(true);
  });

  it('lists events after a cursor, by type, page by page, and redelivers one', async () => {
    const mark = await happen('CopyRequestSubmitted', { copyRequestId: 'cpy_0', patientId: 'P' });
    const made = [];
    for (let i = 1; i <= 7; i++)
      made.push(
        await happen(i % 2 ? 'CopyRequestPaid' : 'CopyRequestShipped', {
          copyRequestId: `cpy_${i}`,
          patientId: 'P',
        }),
      );
    const seen: string[] = [];
    let after: string | undefined = mark.eventId;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listEvents(deps, { after, limit: 3 });
      seen.push(...page.items.map((e) => e.id));
      after = page.after;
      if (!page.hasMore) break;
    }
    expect(seen).toEqual(made.map((e) => e.eventId));
    const paid = await listEvents(deps, { after: mark.eventId, type: 'CopyRequestPaid', limit: 100 });
    expect(paid.items.map((e) => e.id)).toEqual(
      made.filter((e) => e.type === 'CopyRequestPaid').map((e) => e.eventId),
    );
    await expect(listEvents(deps, { after: 'pay_nonsense', limit: 3 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });

    const endpoint = await registerEndpoint(deps, {
      url: `${base}/redeliver`,
      events: ['CopyRequestPaid'],
      createdBy: 'admin:A',
    });
    const before = at('/redeliver').length;
    const again = await redeliverEvent(deps, made[0]?.eventId ?? '', {
      endpointId: endpoint.endpointId,
      requestedBy: 'staff:S',
      requestKey: 'k1',
    });
    // The same request again queues nothing more.
    await redeliverEvent(deps, made[0]?.eventId ?? '', {
      endpointId: endpoint.endpointId,
      requestedBy: 'staff:S',
      requestKey: 'k1',
    });
    await deliverDue(deps);
    await deliverDue(deps);
    const got = at('/redeliver').slice(before);
    expect(got.map((r) => r.headers['medpay-event-id'])).toEqual([made[0]?.eventId]);
    expect(again.deliveries[0]).toMatchObject({ status: 'PENDING', redeliveredBy: 'staff:S' });
    expect((await listEndpoints(deps)).items.map((e) => e.url)).toContain(`${base}/redeliver`);
    await expect(redeliverEvent(deps, 'evt_missing', { requestedBy: 'staff:S' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('records an attempt that could not be signed, and retries it', async () => {
    const broken = {
      ...deps,
      callbacks: {
        ...deps.callbacks,
        signer: hmacCallbackSigner(() => Promise.resolve(undefined)), // the signing key is not readable
      },
    };
    await registerEndpoint(deps, { url: `${base}/unsigned`, events: ['RefundFailed'], createdBy: 'admin:A' });
    const event = await happen('RefundFailed', { refundId: 'rfd_U', paymentId: 'pay_U', amountFen: 1 });
    await deliverDue(broken);
    const [delivery] = (await getEvent(deps, event.eventId)).deliveries;
    expect(delivery).toMatchObject({ status: 'PENDING' });
    expect(delivery?.attempts[0]?.error).toMatch(/^not sent: CALLBACK_SIGNING_KEY is not configured/);
    expect(at('/unsigned')).toEqual([]);
    advance(30_000);
    await deliverDue(deps); // the key is back: delivered on the next attempt
    expect(at('/unsigned')).toHaveLength(1);
  });
});
