/**
 * Two hospitals on one deployment, each a WeChat Pay sub-merchant of the platform and an Alipay merchant that
 * authorised the platform's app (partner mode), through the real handlers, the sandbox over HTTP and
 * DynamoDB Local: an operator onboards them through the API, each pays and refunds on both channels as
 * itself, the sandbox's partner notifications find their hospital, nothing of one hospital is readable,
 * writable or payable from the other, and a revoked Alipay authorisation stops that hospital's Alipay.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hospitalRoutes } from '../../../functions/http/hospitals';
import { createPaymentHandler } from '../../../functions/http/payments/create';
import { getPaymentHandler } from '../../../functions/http/payments/get';
import { refundPaymentHandler } from '../../../functions/http/payments/refund';
import { systemClock } from '../../../lib/adapters/system/clock';
import type { AppDeps } from '../../../lib/config/container';
import { ALIPAY_APP_AUTH_TOKEN, type Hospital } from '../../../lib/domain/hospital';
import { checkAppAuthorisationsJob } from '../../../functions/jobs/check-app-authorisations';
import { signDevToken, type Caller } from '../../../lib/http/auth';
import { webhookHandler } from '../../../lib/http/webhook';
import type { LambdaHttpHandler } from '../../../lib/http/context';
import { applyProviderEvent } from '../../../lib/usecases/notifications';
import { ALIPAY_MERCHANTS, SUB_MERCHANTS } from '../../../sandbox/books';
import { alipayAppAuthorisations } from '../../../lib/adapters/alipay/app-auth';
import { fileHospitalSecrets } from '../../../lib/adapters/system/file-hospital-secrets';
import { partnerPayments } from '../../../lib/config/providers';
import { partnerCredit } from '../../../lib/config/credit';
import { openVisit } from '../../../lib/usecases/visits/open';
import { addCharge } from '../../../lib/usecases/visits/add-charge';
import { settleVisit } from '../../../lib/usecases/visits/settle';
import { getVisit } from '../../../lib/usecases/visits/get';
import { loadPayment } from '../../../lib/usecases/payments/records';
import { hospitalIds } from '../../../lib/usecases/shared/hospitals';
import { fen } from '../../../lib/domain/money';
import type { Channel } from '../../../lib/domain/ledger/accounts';
import type { AppAuthorisations } from '../../../lib/ports/app-authorisation';
import { alipayNotificationBody } from '../../conformance/support/alipay';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wechatNotification } from '../../conformance/support/wechatpay';
import { TEST_JWT_SECRET, testDeps } from '../../support/dynamo';
import { httpEvent, lambdaContext } from '../../support/http';
import { recordingMetrics } from '../../support/metrics';
import { PAYSCORE_SERVICE_ID, sandboxWithProviders, webhookReceiver } from '../../support/sandbox';

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const BUYER = '2088102122524333';
const EAST = 'h-east';
const WEST = 'h-west';

describe('two hospitals in partner mode on one deployment', () => {
  let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let deps: AppDeps & { appAuthorisations: AppAuthorisations };
  let secretsDir: string | undefined;
  const webhooks = {} as Record<Channel, LambdaHttpHandler>;
  const routes = {} as Record<'hospitals' | 'create' | 'get' | 'refund', LambdaHttpHandler>;
  const applied: string[] = [];

  beforeAll(async () => {
    // The sandbox's notifications come to this receiver, which hands them to the real webhook by their path.
    receiver = await webhookReceiver(webhooks, applied);
    env = await sandboxWithProviders(receiver.url);
    const platform = {
      wechat: env.wechatConfig,
      alipay: env.alipayClient,
      alipayConfig: env.alipayConfig,
      serviceId: PAYSCORE_SERVICE_ID,
    };
    secretsDir = mkdtempSync(join(tmpdir(), 'medpay-hospital-secrets-'));
    const base = await testDeps({
      providers: env.providers,
      metrics: recordingMetrics(),
      hospitalSecrets: fileHospitalSecrets(secretsDir),
      credit: env.credit,
      // The platform's accounts acting for a registered hospital (its WeChat sub-merchant, its Alipay
      // merchant), built as the composers build them.
      partner: async (h: Hospital, secrets) => ({
        ...(await partnerPayments(platform, systemClock)(h, secrets)),
        ...(await partnerCredit(platform, systemClock)(h, secrets)),
      }),
    });
    deps = { ...base, appAuthorisations: alipayAppAuthorisations(env.alipayClient) };
    const resolve = () => Promise.resolve(deps);
    webhooks.wechatpay = webhookHandler('wechatpay', applyProviderEvent, resolve);
    webhooks.alipay = webhookHandler('alipay', applyProviderEvent, resolve);
    routes.hospitals = hospitalRoutes(resolve);
    routes.create = createPaymentHandler(resolve);
    routes.get = getPaymentHandler(resolve);
    routes.refund = refundPaymentHandler(resolve);
  });
  afterAll(async () => {
    await env?.sandbox.close();
    await receiver?.close();
    if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
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
  const pay = (hospitalId: string, referenceId: string, channel: Channel = 'wechatpay') =>
    call('create', as(hospitalId, 'patient', `P-${hospitalId}`), 'POST', '/payments', {
      channel,
      purpose: 'examination',
      referenceId,
      amountFen: 3200,
      description: '检查费',
      payer: channel === 'wechatpay' ? { wechatOpenId: OPENID } : { alipayUserId: BUYER },
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
    // Each Alipay merchant authorises the platform's app; the operator hands medpay the code it was sent.
    for (const [id, merchant] of [
      [EAST, ALIPAY_MERCHANTS[0]],
      [WEST, ALIPAY_MERCHANTS[1]],
    ] as const) {
      const code = await appAuthCode(merchant.authAppId);
      const path = `/hospitals/${id}/channels/alipay`;
      const connected = await call(
        'hospitals',
        operator,
        'POST',
        path,
        { appAuthCode: code },
        { hospitalId: id },
      );
      expect(connected).toMatchObject({
        status: 200,
        body: { channels: { alipay: { ...merchant, status: 'AUTHORISED' } } },
      });
      expect(JSON.stringify(connected.body)).not.toMatch(/BB[0-9a-f]{32}/); // the token stays in the store
      // The code is single use.
      const again = await call(
        'hospitals',
        operator,
        'POST',
        path,
        { appAuthCode: code },
        { hospitalId: id },
      );
      expect(again.status).toBe(400);
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

  /** A payment the hospital's patient makes and pays at the sandbox, once medpay holds it PAID. */
  async function paidAtSandbox(hospitalId: string, channel: Channel, referenceId: string) {
    const created = await pay(hospitalId, referenceId, channel);
    expect(created.status).toBe(201);
    const { paymentId, outTradeNo, clientParams } = created.body as {
      paymentId: string;
      outTradeNo: string;
      clientParams: Record<string, string>;
    };
    await fetch(`${env.sandbox.url}/sandbox/pay`, {
      method: 'POST',
      body: JSON.stringify({ channel, outTradeNo }),
    });
    await vi.waitFor(async () => {
      const got = await call('get', as(hospitalId, 'staff'), 'GET', `/payments/${paymentId}`, undefined, {
        paymentId,
      });
      expect(got.body.status).toBe('PAID');
    });
    return { paymentId, outTradeNo, clientParams };
  }

  /** The merchant authorises the platform's app at the sandbox: the code Alipay redirects with. */
  const appAuthCode = async (authAppId: string) => {
    const res = await fetch(`${env.sandbox.url}/sandbox/alipay/app-auth`, {
      method: 'POST',
      body: JSON.stringify({ authAppId }),
    });
    return ((await res.json()) as { app_auth_code: string }).app_auth_code;
  };

  it('each hospital pays and refunds with Alipay as its own merchant; the notifications find their hospital', async () => {
    for (const hospitalId of [EAST, WEST]) {
      const { paymentId, outTradeNo } = await paidAtSandbox(hospitalId, 'alipay', `RA-${hospitalId}`);
      expect(applied).toContain(`/webhooks/alipay/${hospitalId} 200 success`);
      const refund = await call(
        'refund',
        as(hospitalId, 'staff'),
        'POST',
        `/payments/${paymentId}/refunds`,
        { amountFen: 3200, reason: '退检查' },
        { paymentId },
      );
      expect(refund).toMatchObject({ status: 201, body: { status: 'SUCCEEDED' } });
      const other = await deps.inHospital(deps, hospitalId === EAST ? WEST : EAST);
      expect(await other.providers.alipay?.queryOrder(outTradeNo)).toEqual({ status: 'NOT_FOUND' });
      // The platform's own (default hospital's) Alipay does not see it either.
      expect(await deps.providers.alipay?.queryOrder(outTradeNo)).toEqual({ status: 'NOT_FOUND' });
    }
  });

  it('each hospital pays and refunds through its own sub-merchant; the sandbox notifications find their hospital', async () => {
    for (const [hospitalId, sub] of [
      [EAST, SUB_MERCHANTS[0]],
      [WEST, SUB_MERCHANTS[1]],
    ] as const) {
      const { paymentId, outTradeNo, clientParams } = await paidAtSandbox(
        hospitalId,
        'wechatpay',
        `R-${hospitalId}`,
      );
      // The platform's app invokes the payment; the order is the sub-merchant's at the provider.
      expect(clientParams.appId).toBe(env.ids.wechatpay.appId);
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

  it("each hospital's window takes payment codes on both wallets as its own merchant", async () => {
    for (const hospitalId of [EAST, WEST])
      for (const channel of ['wechatpay', 'alipay'] as const) {
        const issued = await fetch(`${env.sandbox.url}/sandbox/payment-codes`, {
          method: 'POST',
          body: JSON.stringify({ channel }),
        });
        const { authCode } = (await issued.json()) as { authCode: string };
        const taken = await call('create', as(hospitalId, 'staff'), 'POST', '/payments', {
          mode: 'payment-code',
          channel,
          purpose: 'examination',
          referenceId: `W-${hospitalId}-${channel}`,
          amountFen: 2100,
          description: '门诊缴费',
          patientId: `P-${hospitalId}`,
          authCode,
          deviceId: 'SCANNER-1',
        });
        expect(taken).toMatchObject({ status: 201, body: { status: 'PAID', mode: 'payment-code' } });
        // The order is the hospital's merchant's (its sub-merchant; its Alipay app's token), nobody else's.
        const scoped = await deps.inHospital(deps, hospitalId);
        expect((await scoped.providers[channel]?.queryOrder(taken.body.outTradeNo))?.status).toBe('PAID');
        const other = await deps.inHospital(deps, hospitalId === EAST ? WEST : EAST);
        expect(await other.providers[channel]?.queryOrder(taken.body.outTradeNo)).toEqual({
          status: 'NOT_FOUND',
        });
        expect(await deps.providers[channel]?.queryOrder(taken.body.outTradeNo)).toEqual({
          status: 'NOT_FOUND',
        });
      }
  });

  it('each hospital settles a pay-later visit on both channels as its own merchant', async () => {
    for (const hospitalId of [EAST, WEST]) {
      const scoped = await deps.inHospital(deps, hospitalId);
      const other = await deps.inHospital(deps, hospitalId === EAST ? WEST : EAST);
      for (const channel of ['alipay', 'wechatpay'] as const) {
        const { visit, clientParams } = await openVisit(scoped, {
          patientId: `PV-${hospitalId}`,
          channel,
          payer: channel === 'wechatpay' ? { wechatOpenId: OPENID } : { alipayUserId: BUYER },
          insured: false,
          requestKey: `visit-${hospitalId}-${channel}`,
        });
        // The patient confirms in the wallet: the Alipay order string carries the hospital's app_auth_token.
        const confirmed = await fetch(`${env.sandbox.url}/sandbox/authorise`, {
          method: 'POST',
          body: JSON.stringify({ channel, outOrderNo: visit.outOrderNo, orderStr: clientParams.orderStr }),
        });
        expect(confirmed.status).toBe(200);
        expect(applied).toContain(
          `/webhooks/${channel}/${hospitalId} ${channel === 'alipay' ? '200 success' : '204'}`,
        );
        expect((await getVisit(scoped, visit.visitId)).status).toBe('OPEN');
        await addCharge(scoped, visit.visitId, {
          chargeId: 'LAB',
          category: 'laboratory',
          description: '化验',
          amountFen: fen(2_300),
        });
        await settleVisit(scoped, visit.visitId, { requestedBy: `staff:s-${hospitalId}` });
        await vi.waitFor(async () => {
          expect(await getVisit(scoped, visit.visitId)).toMatchObject({
            status: 'SETTLED',
            settlement: { capturedFen: 2_300 },
          });
        });
        // The authorisation is the hospital's merchant's: neither the other hospital nor the platform's own
        // merchant finds it at the provider.
        for (const stranger of [other, deps])
          expect(
            await stranger.credit[channel]?.queryAuthorisation(visit.outOrderNo, visit.outRequestNo),
          ).toEqual({ status: 'NOT_FOUND' });
        // The other hospital does not know the visit at all.
        await expect(getVisit(other, visit.visitId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
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
      return webhooks.wechatpay(
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

  it('an Alipay partner notification naming the wrong merchant app or seller is an integrity alert', async () => {
    const created = await pay(EAST, 'RA-FORGE', 'alipay');
    const { paymentId, outTradeNo } = created.body as { paymentId: string; outTradeNo: string };
    const params = (authAppId: string, sellerId: string): Record<string, string> => ({
      notify_time: '2026-12-06 10:00:08',
      notify_type: 'trade_status_sync',
      notify_id: `n-${authAppId}-${sellerId}`,
      charset: 'utf-8',
      version: '1.0',
      app_id: env.ids.alipay.appId,
      auth_app_id: authAppId,
      seller_id: sellerId,
      trade_no: '2026120622001400000000000123',
      out_trade_no: outTradeNo,
      buyer_id: BUYER,
      trade_status: 'TRADE_SUCCESS',
      total_amount: '32.00',
      gmt_payment: '2026-12-06 10:00:07',
    });
    const deliver = (authAppId: string, sellerId: string, hospitalId = EAST) =>
      webhooks.alipay(
        httpEvent('POST', `/webhooks/alipay/${hospitalId}`, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: alipayNotificationBody(
            params(authAppId, sellerId),
            env.keys.alipayPlatform.privateKey,
          ).toString('utf8'),
          pathParameters: { hospitalId },
        }),
        lambdaContext(),
      );
    const [east, west] = ALIPAY_MERCHANTS;
    const forged = [
      await deliver(west.authAppId, west.merchantId), // West's merchant on East's URL
      await deliver(east.authAppId, west.merchantId), // East's app with West's seller
      await deliver('2021000100009999', east.merchantId), // an app no hospital holds
      await deliver(east.authAppId, east.merchantId, WEST), // East's merchant on West's URL
    ];
    for (const res of forged) expect(res.statusCode).toBe(409);
    const got = await call('get', as(EAST, 'staff'), 'GET', `/payments/${paymentId}`, undefined, {
      paymentId,
    });
    expect(got.body.status).toBe('PENDING');
    expect((await deliver(east.authAppId, east.merchantId)).body).toBe('success');
  });

  it("a merchant's revoked Alipay authorisation stops that hospital's Alipay with CHANNEL_REVOKED, and only its", async () => {
    const res = await fetch(`${env.sandbox.url}/sandbox/alipay/app-auth/revoke`, {
      method: 'POST',
      body: JSON.stringify({
        authAppId: ALIPAY_MERCHANTS[0].authAppId,
        gatewayUrl: `${receiver.url}/webhooks/alipay`,
      }),
    });
    expect(((await res.json()) as { responseStatus: number }).responseStatus).toBe(200);
    const hospital = await call('hospitals', operator, 'GET', `/hospitals/${EAST}`, undefined, {
      hospitalId: EAST,
    });
    expect(hospital.body.channels.alipay).toMatchObject({ status: 'REVOKED' });
    const refused = await pay(EAST, 'RA-REVOKED', 'alipay');
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'CHANNEL_REVOKED' } } });
    // West's Alipay and East's WeChat Pay go on.
    expect((await pay(WEST, 'RA-WEST-AFTER', 'alipay')).status).toBe(201);
    expect((await pay(EAST, 'RW-EAST-AFTER')).status).toBe(201);
    // Connecting again with a fresh authorisation restores it.
    const code = await appAuthCode(ALIPAY_MERCHANTS[0].authAppId);
    const reconnected = await call(
      'hospitals',
      operator,
      'POST',
      `/hospitals/${EAST}/channels/alipay`,
      { appAuthCode: code },
      { hospitalId: EAST },
    );
    expect(reconnected.body.channels.alipay).toMatchObject({ status: 'AUTHORISED' });
  });

  it('the daily check refreshes a token before it lapses, and revokes one Alipay no longer accepts', async () => {
    const settings = (body: object) =>
      fetch(`${env.sandbox.url}/sandbox/settings`, { method: 'POST', body: JSON.stringify(body) });
    // East authorises again and Alipay gives it a token with a week left (inside the 30-day window).
    await settings({ appAuthTokenTtlSec: 7 * 86_400 });
    const connected = await call(
      'hospitals',
      operator,
      'POST',
      `/hospitals/${EAST}/channels/alipay`,
      { appAuthCode: await appAuthCode(ALIPAY_MERCHANTS[0].authAppId) },
      { hospitalId: EAST },
    );
    expect(connected.status).toBe(200);
    const before = await deps.hospitalSecrets.get(EAST, ALIPAY_APP_AUTH_TOKEN);
    // West's merchant cancels, and the message never reaches medpay: only the check can find out.
    await fetch(`${env.sandbox.url}/sandbox/alipay/app-auth/revoke`, {
      method: 'POST',
      body: JSON.stringify({ authAppId: ALIPAY_MERCHANTS[1].authAppId, gatewayUrl: 'http://127.0.0.1:9/' }),
    });
    await settings({ appAuthTokenTtlSec: 365 * 86_400 });
    const job = checkAppAuthorisationsJob(() => Promise.resolve(deps));
    expect(await job({})).toEqual({ outcomes: { [EAST]: 'refreshed', [WEST]: 'revoked' } });
    // East holds a new token, good for a year, and its Alipay payments go on with it.
    const after = await deps.hospitalSecrets.get(EAST, ALIPAY_APP_AUTH_TOKEN);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect((await deps.appAuthorisations.query(String(after))).valid).toBe(true);
    const east = await call('hospitals', operator, 'GET', `/hospitals/${EAST}`, undefined, {
      hospitalId: EAST,
    });
    const lapses = Date.parse(east.body.channels.alipay.expiresAt as string) - Date.now();
    expect(lapses).toBeGreaterThan(360 * 86_400_000);
    expect(east.body.channels.alipay).toMatchObject({ status: 'AUTHORISED', checkedAt: expect.any(String) });
    // West's Alipay is revoked at medpay too, and stops with a clear error; nothing more to check there.
    const west = await call('hospitals', operator, 'GET', `/hospitals/${WEST}`, undefined, {
      hospitalId: WEST,
    });
    expect(west.body.channels.alipay).toMatchObject({ status: 'REVOKED' });
    expect(await pay(WEST, 'RA-WEST-CHECKED', 'alipay')).toMatchObject({
      status: 409,
      body: { error: { code: 'CHANNEL_REVOKED' } },
    });
    expect(await job({})).toEqual({ outcomes: { [EAST]: 'valid' } });
  });

  it("a suspended hospital's tokens are refused, while its notifications and jobs still finish what is under way", async () => {
    const created = await pay(WEST, 'R-BEFORE-SUSPENSION');
    expect(created.status).toBe(201);
    const path = `/hospitals/${WEST}/status`;
    const suspended = await call(
      'hospitals',
      operator,
      'POST',
      path,
      { status: 'SUSPENDED' },
      { hospitalId: WEST },
    );
    expect(suspended).toMatchObject({ status: 200, body: { status: 'SUSPENDED' } });
    // Registrations are believed for a minute: a minute on, every route refuses West's tokens.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      expect(await pay(WEST, 'R-WHILE-SUSPENDED')).toMatchObject({
        status: 403,
        body: { error: { code: 'FORBIDDEN' } },
      });
      // The payment West's patient started before is still paid, and applied in West.
      await fetch(`${env.sandbox.url}/sandbox/pay`, {
        method: 'POST',
        body: JSON.stringify({ channel: 'wechatpay', outTradeNo: created.body.outTradeNo }),
      });
      const west = await deps.inHospital(deps, WEST);
      await vi.waitFor(async () => {
        expect((await loadPayment(west.ledger, created.body.paymentId)).value.status).toBe('PAID');
      });
      // The jobs still look after it.
      expect(await hospitalIds(deps)).toContain(WEST);
      // Resumed, it acts again (a minute on).
      const resumed = await call(
        'hospitals',
        operator,
        'POST',
        path,
        { status: 'ACTIVE' },
        { hospitalId: WEST },
      );
      expect(resumed.body.status).toBe('ACTIVE');
      vi.setSystemTime(Date.now() + 61_000);
      expect((await pay(WEST, 'R-AFTER-RESUME')).status).toBe(201);
    } finally {
      vi.useRealTimers();
    }
  });
});
