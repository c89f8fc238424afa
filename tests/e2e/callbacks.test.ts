/**
 * Callbacks to the HIS over the local stack (#14): an admin registers endpoints on a local HTTP server; a
 * payment, its refund and a pay-later visit's settlement reach it signed, as docs/callbacks.md's verification
 * example (run here as written) accepts, and a forged one fails it; a server answering 500 three times
 * gets the event on the fourth attempt; redelivery and the event log work.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payerFor, stackClient, startLocalStack, type LocalStack } from '../support/local-stack';

type Json = Record<string, any>;
type Verify = (header: string, rawBody: string, secret: string, toleranceSec?: number) => boolean;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** docs/callbacks.md's `his-verify` code block, as a module. */
function readmeVerifier(dir: string): Promise<{ verifyMedpaySignature: Verify }> {
  const readme = readFileSync(resolve(import.meta.dirname, '../../docs/callbacks.md'), 'utf8');
  const block = /<!-- his-verify -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('docs/callbacks.md has no his-verify block');
  const file = join(dir, 'verify-medpay.mjs');
  writeFileSync(file, block);
  return import(pathToFileURL(file).href) as Promise<{ verifyMedpaySignature: Verify }>;
}

describe('signed callbacks to a HIS over the local stack', () => {
  let local: LocalStack;
  let client: ReturnType<typeof stackClient>;
  let server: Server;
  let his: string;
  let tmp: string;
  let verify: Verify;
  const received: Received[] = [];
  const failuresOwed = new Map<string, number>([['/flaky', 3]]);

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'medpay-his-'));
    verify = (await readmeVerifier(tmp)).verifyMedpaySignature;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const path = req.url ?? '';
        const owed = failuresOwed.get(path) ?? 0;
        failuresOwed.set(path, Math.max(0, owed - 1));
        const answered = owed > 0 ? 500 : 200;
        received.push({ path, headers: req.headers, body, answered });
        res.statusCode = answered;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    his = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    local = await startLocalStack();
    client = stackClient(local);
  }, 180_000);
  afterAll(async () => {
    await local?.stop();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const api = (method: string, path: string, token: string, body?: unknown) =>
    client.api(method, path, token, body);
  /** Waits until `match` finds what the HIS received (the local relay and delivery run every 2 s). */
  async function eventually<T>(match: () => T | undefined, seconds = 60): Promise<T> {
    for (let i = 0; i < seconds * 4; i++) {
      const found = match();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(
      `not received within ${seconds} s: ${JSON.stringify(received.map((r) => [r.path, r.headers['medpay-event-type']]))}`,
    );
  }
  const callbackAbout = (path: string, type: string, key: string, id: string) =>
    received.find(
      (r) =>
        r.path === path &&
        r.answered === 200 &&
        r.headers['medpay-event-type'] === type &&
        (JSON.parse(r.body) as Json).data?.[key] === id,
    );

  it('pays, refunds and settles a visit; the HIS receives each event signed; retries and redelivery work', async () => {
    const admin = local.stack.tokens.admin;
    const staff = local.stack.tokens.staff;
    // Only admin manages endpoints.
    expect((await api('GET', '/notification-endpoints', staff)).status).toBe(403);
    const registered = await api('POST', '/notification-endpoints', admin, {
      url: `${his}/his`,
      events: ['PaymentSucceeded', 'RefundSucceeded', 'VisitSettled'],
      description: 'HIS billing',
    });
    expect(registered).toMatchObject({ status: 201, body: { status: 'ACTIVE', secretVersion: 1 } });
    const flaky = await api('POST', '/notification-endpoints', admin, {
      url: `${his}/flaky`,
      events: ['PaymentSucceeded'],
    });
    expect(flaky.status).toBe(201);
    const badType = await api('POST', '/notification-endpoints', admin, {
      url: `${his}/x`,
      events: ['Nope'],
    });
    expect(badType.status).toBe(400);
    const { secret } = (
      await api('GET', `/notification-endpoints/${registered.body.endpointId}/secret`, admin)
    ).body as { secret: string };
    expect(secret).toMatch(/^whsec_/);

    // A payment, paid in the sandbox, then partly refunded.
    const { token } = await client.patient();
    const created = await api('POST', '/payments', token, {
      channel: 'alipay',
      purpose: 'examination',
      referenceId: 'HIS-CB-1',
      amountFen: 5_000,
      description: '检查',
      payer: payerFor('alipay'),
    });
    const paymentId = created.body.paymentId as string;
    await client.sandbox('/sandbox/pay', { channel: 'alipay', outTradeNo: created.body.outTradeNo });
    const refund = await api('POST', `/payments/${paymentId}/refunds`, token, {
      amountFen: 2_000,
      reason: '退费',
    });
    expect(refund.status).toBe(201);

    // A pay-later visit: open, authorise, one charge, settle.
    const opened = await api('POST', '/visits', token, {
      channel: 'alipay',
      payer: payerFor('alipay'),
      insured: false,
    });
    await client.sandbox('/sandbox/authorise', {
      channel: 'alipay',
      outOrderNo: opened.body.outOrderNo,
      orderStr: opened.body.clientParams.orderStr,
    });
    await api('POST', `/visits/${opened.body.visitId}/charges`, staff, {
      chargeId: 'LAB-CB',
      category: 'laboratory',
      description: 'lab',
      amountFen: 3_300,
    });
    expect([200, 202]).toContain(
      (await api('POST', `/visits/${opened.body.visitId}/settle`, token, {})).status,
    );

    const paid = await eventually(() => callbackAbout('/his', 'PaymentSucceeded', 'paymentId', paymentId));
    const refunded = await eventually(() => callbackAbout('/his', 'RefundSucceeded', 'paymentId', paymentId));
    const settled = await eventually(() =>
      callbackAbout('/his', 'VisitSettled', 'visitId', opened.body.visitId),
    );
    for (const r of [paid, refunded, settled]) {
      const header = String(r.headers['medpay-signature']);
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verify(header, r.body, secret)).toBe(true);
      const body = JSON.parse(r.body) as Json;
      expect(body).toMatchObject({ id: r.headers['medpay-event-id'], type: r.headers['medpay-event-type'] });
      // Forged: another body under the same signature, a signature made with another secret, a stale one.
      expect(verify(header, r.body.replace('"type":"', '"type":"X'), secret)).toBe(false);
      expect(verify(header, r.body, 'whsec_not-the-secret')).toBe(false);
      const t = Number(/^t=(\d+)/.exec(header)?.[1]);
      expect(verify(header.replace(`t=${t}`, `t=${t - 3_600}`), r.body, secret)).toBe(false);
    }
    expect(JSON.parse(paid.body).data).toMatchObject({
      paymentId,
      amountFen: 5_000,
      referenceId: 'HIS-CB-1',
    });
    expect(JSON.parse(refunded.body).data).toMatchObject({ paymentId, amountFen: 2_000 });
    // In order per entity: the payment's success before its refund.
    expect(received.indexOf(paid)).toBeLessThan(received.indexOf(refunded));

    // The flaky server: 500, 500, 500, then 200 for the same event.
    const eventId = String(paid.headers['medpay-event-id']);
    await eventually(() => callbackAbout('/flaky', 'PaymentSucceeded', 'paymentId', paymentId), 90);
    const flakyTries = received.filter(
      (r) => r.path === '/flaky' && r.headers['medpay-event-id'] === eventId,
    );
    expect(flakyTries.map((r) => r.answered)).toEqual([500, 500, 500, 200]);
    const event = await api('GET', `/events/${eventId}`, staff);
    expect(event.status).toBe(200);
    const flakyDelivery = (event.body.deliveries as Json[]).find(
      (d) => d.endpointId === flaky.body.endpointId,
    );
    expect(flakyDelivery).toMatchObject({ status: 'DELIVERED' });
    expect((flakyDelivery?.attempts as Json[]).map((a) => a.httpStatus)).toEqual([500, 500, 500, 200]);

    // Redelivery to the HIS endpoint only.
    const before = received.filter(
      (r) => r.path === '/his' && r.headers['medpay-event-id'] === eventId,
    ).length;
    const again = await api('POST', `/events/${eventId}/redeliver`, staff, {
      endpointId: registered.body.endpointId,
    });
    expect(again).toMatchObject({ status: 202, body: { eventId } });
    await eventually(() =>
      received.filter((r) => r.path === '/his' && r.headers['medpay-event-id'] === eventId).length > before
        ? true
        : undefined,
    );

    // The event log: after the payment's event, by type.
    const log = await api('GET', `/events?after=${eventId}&type=RefundSucceeded`, staff);
    expect(log.status).toBe(200);
    expect((log.body.items as Json[]).map((e) => e.id)).toContain(refunded.headers['medpay-event-id']);
    expect((await api('GET', '/events?after=nonsense', staff)).status).toBe(400);
    expect((await api('GET', '/events', token)).status).toBe(403);

    // Disabled: nothing more is sent there.
    const disabled = await api('POST', `/notification-endpoints/${flaky.body.endpointId}/disable`, admin, {});
    expect(disabled).toMatchObject({ status: 200, body: { status: 'DISABLED' } });
  }, 240_000);
});
