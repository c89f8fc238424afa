/**
 * Two hospitals on one deployment, each a WeChat Pay sub-merchant of the platform (partner mode), through
 * the real handlers, the sandbox over HTTP and DynamoDB Local: an operator onboards them through the API,
 * each pays and refunds with its own sub_mchid, the sandbox's partner notifications find their hospital, and
 * nothing of one hospital is readable, writable or payable from the other.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hospitalRoutes } from '../../../functions/http/hospitals';
import { createPaymentHandler } from '../../../functions/http/payments/create';
import { getPaymentHandler } from '../../../functions/http/payments/get';
import { refundPaymentHandler } from '../../../functions/http/payments/refund';
import { systemClock } from '../../../lib/adapters/system/clock';
import { wechatpayProvider } from '../../../lib/adapters/wechatpay/provider';
import type { AppDeps } from '../../../lib/config/container';
import type { Hospital } from '../../../lib/domain/hospital';
import { signDevToken, type Caller } from '../../../lib/http/auth';
import { webhookHandler } from '../../../lib/http/webhook';
import type { LambdaHttpHandler } from '../../../lib/http/context';
import { applyProviderEvent } from '../../../lib/usecases/notifications';
import { SUB_MERCHANTS } from '../../../sandbox/books';
import { wechatNotification } from '../../conformance/support/wechatpay';
import { TEST_JWT_SECRET, testDeps } from '../../support/dynamo';
import { httpEvent, lambdaContext } from '../../support/http';
import { recordingMetrics } from '../../support/metrics';
import { notificationReceiver, sandboxWithProviders } from '../../support/sandbox';

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const EAST = 'h-east';
const WEST = 'h-west';

describe('two hospitals in partner mode on one deployment', () => {
  let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
  let receiver: Awaited<ReturnType<typeof notificationReceiver>>;
  let deps: AppDeps;
  let webhook: LambdaHttpHandler;
  const routes = {} as Record<'hospitals' | 'create' | 'get' | 'refund', LambdaHttpHandler>;
  const applied: string[] = [];

  beforeAll(async () => {
    // The sandbox's notifications come to this receiver, which hands them to the real webhook by their path.
    receiver = await notificationReceiver(async (_channel, n) => {
      const path = n.path ?? '/webhooks/wechatpay';
      const hospitalId = /^\/webhooks\/wechatpay\/([\w-]+)$/.exec(path)?.[1];
      const res = await webhook(
        httpEvent('POST', path, {
          headers: n.headers as Record<string, string>,
          body: n.body.toString('utf8'),
          ...(hospitalId ? { pathParameters: { hospitalId } } : {}),
        }),
        lambdaContext(),
      );
      applied.push(`${path} ${res.statusCode}`);
      return { status: res.statusCode, body: res.body };
    });
    env = await sandboxWithProviders(receiver.url);
    deps = await testDeps({
      providers: env.providers,
      metrics: recordingMetrics(),
      // The platform's WeChat Pay account acting for a registered hospital's sub-merchant.
      partner: (h: Hospital) => ({
        providers: h.channels.wechatpay
          ? {
              wechatpay: wechatpayProvider(env.wechatConfig, systemClock, {
                ...h.channels.wechatpay,
                hospitalId: h.hospitalId,
              }),
            }
          : {},
      }),
    });
    const resolve = () => Promise.resolve(deps);
    webhook = webhookHandler('wechatpay', applyProviderEvent, resolve);
    routes.hospitals = hospitalRoutes(resolve);
    routes.create = createPaymentHandler(resolve);
    routes.get = getPaymentHandler(resolve);
    routes.refund = refundPaymentHandler(resolve);
  });
  afterAll(async () => {
    await env?.sandbox.close();
    await receiver?.close();
  });

  const token = (caller: Caller) => signDevToken(TEST_JWT_SECRET, caller);
  let n = 0;
  /** Calls a route as `caller`; POSTs carry a fresh Idempotency-Key. */
  async function call(
    route: keyof typeof routes,
    caller: Caller,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    pathParameters?: Record<string, string>,
  ) {
    // The route key is the route's template, as API Gateway sets it (the routers dispatch on it).
    const template = Object.keys(pathParameters ?? {}).reduce(
      (p, name) => p.replace(String(pathParameters?.[name]), `{${name}}`),
      path,
    );
    const res = await routes[route](
      {
        ...httpEvent(method, path, {
          headers: {
            authorization: `Bearer ${await token(caller)}`,
            ...(method === 'POST' ? { 'idempotency-key': `k-${++n}` } : {}),
          },
          body,
          pathParameters,
        }),
        routeKey: `${method} ${template}`,
      },
      lambdaContext(),
    );
    if (res.statusCode >= 400 && process.env.DEBUG_TEST) console.log(path, res.body);
    return { status: res.statusCode, body: JSON.parse(res.body || '{}') as Record<string, any> };
  }
  const operator: Caller = { sub: 'ops-1', role: 'operator' };
  const as = (hospitalId: string, role: Caller['role'], sub = `${role}-${hospitalId}`): Caller => ({
    sub,
    role,
    hospitalId,
  });
  const pay = (hospitalId: string, referenceId: string) =>
    call('create', as(hospitalId, 'patient', `P-${hospitalId}`), 'POST', '/payments', {
      channel: 'wechatpay',
      purpose: 'examination',
      referenceId,
      amountFen: 3200,
      description: '检查费',
      payer: { wechatOpenId: OPENID },
    });

  it('an operator onboards both hospitals and their sub-merchants; no one else may', async () => {
    for (const [id, sub] of [
      [EAST, SUB_MERCHANTS[0]],
      [WEST, SUB_MERCHANTS[1]],
    ] as const) {
      expect(
        (await call('hospitals', operator, 'POST', '/hospitals', { hospitalId: id, name: id })).status,
      ).toBe(201);
      const connected = await call(
        'hospitals',
        operator,
        'POST',
        `/hospitals/${id}/channels/wechatpay`,
        { subMchId: sub },
        { hospitalId: id },
      );
      expect(connected).toMatchObject({ status: 200, body: { channels: { wechatpay: { subMchId: sub } } } });
    }
    // One sub-merchant belongs to one hospital; the default hospital is never registered; ids are checked.
    const taken = await call(
      'hospitals',
      operator,
      'POST',
      `/hospitals/${WEST}/channels/wechatpay`,
      { subMchId: SUB_MERCHANTS[0] },
      { hospitalId: WEST },
    );
    expect(taken.status).toBe(409);
    expect(
      (await call('hospitals', operator, 'POST', '/hospitals', { hospitalId: 'default', name: 'x' })).status,
    ).toBe(409);
    expect(
      (await call('hospitals', operator, 'POST', '/hospitals', { hospitalId: 'BAD ID', name: 'x' })).status,
    ).toBe(400);
    for (const role of ['patient', 'staff', 'finance', 'admin'] as const)
      expect((await call('hospitals', as(EAST, role), 'GET', '/hospitals')).status).toBe(403);
    const listed = await call('hospitals', operator, 'GET', '/hospitals');
    expect(listed.body.items.map((h: Hospital) => h.hospitalId)).toEqual([EAST, WEST]);
    // The operator acts for no hospital: hospital routes refuse it.
    expect((await pay('default', 'R-OP')).status).toBe(201);
    expect((await call('create', operator, 'POST', '/payments', {})).status).toBe(403);
  });

  it('each hospital pays and refunds through its own sub-merchant; the sandbox notifications find their hospital', async () => {
    for (const [hospitalId, sub] of [
      [EAST, SUB_MERCHANTS[0]],
      [WEST, SUB_MERCHANTS[1]],
    ] as const) {
      const created = await pay(hospitalId, `R-${hospitalId}`);
      expect(created.status).toBe(201);
      const { paymentId, outTradeNo } = created.body as { paymentId: string; outTradeNo: string };
      // The platform's app invokes the payment; the order is the sub-merchant's at the provider.
      expect(created.body.clientParams.appId).toBe(env.ids.wechatpay.appId);
      await fetch(`${env.sandbox.url}/sandbox/pay`, {
        method: 'POST',
        body: JSON.stringify({ channel: 'wechatpay', outTradeNo }),
      });
      await vi.waitFor(async () => {
        const got = await call('get', as(hospitalId, 'staff'), 'GET', `/payments/${paymentId}`, undefined, {
          paymentId,
        });
        expect(got.body.status).toBe('PAID');
      });
      expect(applied).toContain(`/webhooks/wechatpay/${hospitalId} 204`);
      const refund = await call(
        'refund',
        as(hospitalId, 'staff'),
        'POST',
        `/payments/${paymentId}/refunds`,
        { amountFen: 1200, reason: '退检查' },
        { paymentId },
      );
      expect(refund.status).toBe(201);
      const scoped = await deps.inHospital(deps, hospitalId);
      await vi.waitFor(async () => {
        const state = await scoped.providers.wechatpay?.queryRefund(outTradeNo, refund.body.outRefundNo);
        expect(state?.status).toBe('SUCCEEDED');
      });
      // The other sub-merchant cannot see the order at the provider either.
      const other = await deps.inHospital(deps, hospitalId === EAST ? WEST : EAST);
      expect(await other.providers.wechatpay?.queryOrder(outTradeNo)).toEqual({ status: 'NOT_FOUND' });
      expect(sub).toMatch(/^\d+$/);
    }
  });

  it("one hospital's tokens of every role reach none of the other's payments", async () => {
    const created = await pay(EAST, 'R-ATTACK');
    const { paymentId } = created.body as { paymentId: string };
    let attempts = 0;
    for (const role of ['patient', 'staff', 'finance', 'admin'] as const) {
      const west = as(WEST, role, role === 'patient' ? `P-${EAST}` : `${role}-${EAST}`);
      const read = await call('get', west, 'GET', `/payments/${paymentId}`, undefined, { paymentId });
      attempts++;
      expect([403, 404]).toContain(read.status);
      const refund = await call(
        'refund',
        west,
        'POST',
        `/payments/${paymentId}/refunds`,
        { amountFen: 100, reason: 'x' },
        { paymentId },
      );
      attempts++;
      expect([403, 404]).toContain(refund.status);
    }
    expect(attempts).toBe(8);
    // Unregistered hospitals are refused outright.
    expect(
      (await call('get', as('h-nowhere', 'staff'), 'GET', `/payments/${paymentId}`, undefined, { paymentId }))
        .status,
    ).toBe(403);
    const east = await call('get', as(EAST, 'staff'), 'GET', `/payments/${paymentId}`, undefined, {
      paymentId,
    });
    expect(east.body).toMatchObject({ paymentId, status: 'PENDING' });
  });

  it('a partner notification naming the wrong sub-merchant or hospital is an integrity alert, applied nowhere', async () => {
    const created = await pay(EAST, 'R-FORGE');
    const { paymentId, outTradeNo } = created.body as { paymentId: string; outTradeNo: string };
    const wechat = {
      apiV3Key: env.apiV3Key,
      serial: env.ids.wechatpay.certificateSerial,
      platformPrivateKey: env.keys.certificate.privateKey,
    };
    const resource = (subMchId: string) => ({
      sp_appid: env.ids.wechatpay.appId,
      sp_mchid: env.ids.wechatpay.mchId,
      sub_mchid: subMchId,
      out_trade_no: outTradeNo,
      transaction_id: '4200000000202612060000000123',
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      success_time: '2026-12-06T10:00:07+08:00',
      payer: { sp_openid: OPENID },
      amount: { total: 3200, payer_total: 3200, currency: 'CNY', payer_currency: 'CNY' },
    });
    const deliver = async (subMchId: string, hospitalId?: string) => {
      const raw = wechatNotification(wechat, 'TRANSACTION.SUCCESS', resource(subMchId));
      const path = hospitalId ? `/webhooks/wechatpay/${hospitalId}` : '/webhooks/wechatpay';
      return webhook(
        httpEvent('POST', path, {
          headers: raw.headers,
          body: raw.body.toString('utf8'),
          ...(hospitalId ? { pathParameters: { hospitalId } } : {}),
        }),
        lambdaContext(),
      );
    };
    const forged = [
      await deliver(SUB_MERCHANTS[1], EAST), // West's sub-merchant on East's URL
      await deliver(SUB_MERCHANTS[0], WEST), // East's sub-merchant on West's URL
      await deliver('1900009999', EAST), // a sub-merchant no hospital holds
      await deliver(SUB_MERCHANTS[0]), // a partner notification on the direct URL
    ];
    for (const res of forged) expect(res.statusCode).toBe(409);
    const east = await call('get', as(EAST, 'staff'), 'GET', `/payments/${paymentId}`, undefined, {
      paymentId,
    });
    expect(east.body.status).toBe('PENDING');
    // The genuine one is applied.
    expect((await deliver(SUB_MERCHANTS[0], EAST)).statusCode).toBe(204);
    const paid = await call('get', as(EAST, 'staff'), 'GET', `/payments/${paymentId}`, undefined, {
      paymentId,
    });
    expect(paid.body.status).toBe('PAID');
  });
});
