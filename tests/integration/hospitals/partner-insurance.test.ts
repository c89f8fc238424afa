/**
 * A registered hospital's medical insurance, through the real operator routes, composers, webhooks, the
 * sandbox over HTTP (platform, WeChat Pay 医保, Alipay's medical product) and DynamoDB Local: an operator
 * connects its 医保 identity once the province's keys are in its secrets, and it pays insured charges on
 * both wallets as itself (its own app at the platform, its sub-merchant and codes at WeChat Pay 医保, its
 * merchant's app_auth_token at Alipay) and takes an insured pay-later visit's insurance step as itself. Another hospital without an identity is refused, not served as the
 * deployment's own hospital.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hospitalRoutes } from '../../../functions/http/hospitals';
import { alipayAppAuthorisations } from '../../../lib/adapters/alipay/app-auth';
import { systemClock } from '../../../lib/adapters/system/clock';
import { fileHospitalSecrets } from '../../../lib/adapters/system/file-hospital-secrets';
import { loadConfig } from '../../../lib/config/config';
import type { AppDeps } from '../../../lib/config/container';
import { partnerInsuredPayments } from '../../../lib/config/insured-providers';
import { partnerPayments } from '../../../lib/config/providers';
import { partnerCredit } from '../../../lib/config/credit';
import { partnerInsuredCredit } from '../../../lib/config/insured-credit';
import { openVisit } from '../../../lib/usecases/visits/open';
import { addCharge } from '../../../lib/usecases/visits/add-charge';
import { preauthoriseInsurance } from '../../../lib/usecases/visits/preauthorise';
import { settleVisit } from '../../../lib/usecases/visits/settle';
import { getVisit } from '../../../lib/usecases/visits/get';
import { INSURANCE_PLATFORM_KEYS, type Hospital } from '../../../lib/domain/hospital';
import type { Channel } from '../../../lib/domain/ledger/accounts';
import { fen } from '../../../lib/domain/money';
import { signDevToken, type Caller } from '../../../lib/http/auth';
import type { LambdaHttpHandler } from '../../../lib/http/context';
import { webhookHandler } from '../../../lib/http/webhook';
import type { AppAuthorisations } from '../../../lib/ports/app-authorisation';
import { applyProviderEvent } from '../../../lib/usecases/notifications';
import { createInsuredPayment } from '../../../lib/usecases/payments/create-insured';
import { loadPayment } from '../../../lib/usecases/payments/records';
import { sweepPendingPayments } from '../../../lib/usecases/payments/sweep-payments';
import { ALIPAY_MERCHANTS, SUB_MERCHANTS } from '../../../sandbox/books';
import { TEST_JWT_SECRET, testDeps } from '../../support/dynamo';
import { httpEvent, lambdaContext } from '../../support/http';
import { INSURED_PERSON, SAMPLE_FEE_LINES } from '../../support/insured';
import { PAYSCORE_SERVICE_ID, sandboxWithProviders, webhookReceiver } from '../../support/sandbox';

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const BUYER = '2088102122524333';
const EAST = 'h-east';
const WEST = 'h-west';
/** East's 医保 identity: its own codes, not the deployment's (H44010000001). */
const EAST_INSURANCE = {
  orgCode: 'H44010000101',
  orgId: 'ORG44010000101',
  medInstName: '东院',
  medInstNo: 'H44010000101',
  alipay: { orgChannelCode: 'CRTF0101', orgAppId: 'ORGAPP0101' },
};

describe("a registered hospital's medical insurance, as itself on both wallets", () => {
  let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let deps: AppDeps & { appAuthorisations: AppAuthorisations };
  let secretsDir: string | undefined;
  let hospitals: LambdaHttpHandler;
  const webhooks = {} as Record<Channel, LambdaHttpHandler>;
  const applied: string[] = [];

  beforeAll(async () => {
    // The sandbox's notifications come to this receiver, which hands them to the real webhook by their path.
    receiver = await webhookReceiver(webhooks, applied);
    env = await sandboxWithProviders(receiver.url);
    secretsDir = mkdtempSync(join(tmpdir(), 'medpay-hospital-secrets-'));
    // The deployment's insurance configuration (the province's transport and the wallets' products), as
    // the composers read it; the registered hospital's identity and keys come from its record and secrets.
    const config = loadConfig({
      STAGE: 'test',
      TABLE_NAME: 'unused',
      AUTH_MODE: 'hs256',
      AUTH_HS256_SECRET: 'file:/dev/null',
      ALIPAY_APP_ID: env.ids.alipay.appId,
      ALIPAY_SELLER_ID: env.ids.alipay.sellerId,
      ALIPAY_GATEWAY: `${env.sandbox.url}/alipay/gateway.do`,
      ALIPAY_APP_PRIVATE_KEY: 'file:/dev/null',
      ALIPAY_PUBLIC_KEY: 'file:/dev/null',
      ALIPAY_NOTIFY_URL: `${receiver.url}/webhooks/alipay`,
      INSURANCE_PLATFORM_URL: `${env.sandbox.url}/insurance/platform`,
      INSURANCE_PLATFORM_APP_ID: 'SANDBOXAPP0001',
      INSURANCE_PLATFORM_KEYS: 'file:/dev/null',
      INSURANCE_ORG_CODE: 'H44010000001',
      INSURANCE_ORG_ID: 'ORG44010000001',
      MEDINS_INST_NAME: '沙盒医院',
      MEDINS_INST_NO: 'H44010000001',
      MEDINS_CALLBACK_URL: `${receiver.url}/webhooks/wechatpay`,
      MEDINS_AUTH_URL: `${env.sandbox.url}/insurance/auth-exchange/wechatpay`,
      ALIPAY_MEDICAL_ORG_CHANNEL_CODE: 'CRTF0001',
      ALIPAY_MEDICAL_ORG_APP_ID: 'ORGAPP0001',
      ALIPAY_MEDICAL_CALL_URL: `${receiver.url}/health`,
    });
    const platform = {
      wechat: env.wechatConfig,
      alipay: env.alipayClient,
      alipayConfig: env.alipayConfig,
      serviceId: PAYSCORE_SERVICE_ID,
    };
    // A registered hospital's parts as the payment and visit functions' composers build them.
    const payments = partnerInsuredPayments(config, systemClock, {
      ...platform,
      partner: partnerPayments(platform, systemClock),
    });
    const credit = partnerInsuredCredit(config, systemClock, {
      ...platform,
      partner: partnerCredit(platform, systemClock),
    });
    const base = await testDeps({
      providers: env.providers,
      hospitalSecrets: fileHospitalSecrets(secretsDir),
      partner: async (hospital: Hospital, secrets) => ({
        ...(await payments(hospital, secrets)),
        ...(await credit(hospital, secrets)),
      }),
    });
    deps = { ...base, appAuthorisations: alipayAppAuthorisations(env.alipayClient) };
    const resolve = () => Promise.resolve(deps);
    webhooks.wechatpay = webhookHandler('wechatpay', applyProviderEvent, resolve);
    webhooks.alipay = webhookHandler('alipay', applyProviderEvent, resolve);
    hospitals = hospitalRoutes(resolve);
    env.sandbox.platform.settings.defaultPersonalAccountFen = 1_000;
  });
  afterAll(async () => {
    await env?.sandbox.close();
    await receiver?.close();
    if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
  });

  let n = 0;
  /** An operator's call to the hospital registry. */
  async function operator(method: 'GET' | 'POST', path: string, template: string, body?: unknown) {
    const caller: Caller = { sub: 'ops-1', role: 'operator' };
    const hospitalId = path.split('/')[2];
    const res = await hospitals(
      {
        ...httpEvent(method, path, {
          headers: {
            authorization: `Bearer ${await signDevToken(TEST_JWT_SECRET, caller)}`,
            ...(method === 'POST' ? { 'idempotency-key': `op-${++n}` } : {}),
          },
          body,
          ...(hospitalId ? { pathParameters: { hospitalId } } : {}),
        }),
        routeKey: `${method} ${template}`,
      },
      lambdaContext(),
    );
    return { status: res.statusCode, body: JSON.parse(res.body || '{}') as Record<string, any> };
  }

  /** An insured charge of 150.00 by `channel`'s patient in `hospitalId`, as its staff would create it. */
  async function insuredCharge(hospitalId: string, channel: Channel, key: string) {
    const scoped = await deps.inHospital(deps, hospitalId);
    const payerId = channel === 'wechatpay' ? OPENID : BUYER;
    const { authCode } = env.sandbox.platform.authorise({ channel, payerId, ...INSURED_PERSON });
    const created = await createInsuredPayment(scoped, {
      requestKey: key,
      patientId: `PI-${hospitalId}`,
      channel,
      purpose: 'examination',
      referenceId: `HIS-${key}`,
      amountFen: fen(15_000),
      description: '门诊缴费',
      payer: channel === 'wechatpay' ? { wechatOpenId: OPENID } : { alipayUserId: BUYER },
      mode: 'mini-program',
      insurance: {
        authCode,
        location: '113.264385,23.129112',
        feeLines: SAMPLE_FEE_LINES,
        patient: { ...INSURED_PERSON, cardType: 'ID_CARD' },
      },
    });
    return { scoped, ...created };
  }

  it('an operator connects each hospital, and East its 医保 identity once its keys are in its secrets', async () => {
    for (const [i, id] of [EAST, WEST].entries()) {
      expect((await operator('POST', '/hospitals', '/hospitals', { hospitalId: id, name: id })).status).toBe(
        201,
      );
      const wechat = await operator(
        'POST',
        `/hospitals/${id}/channels/wechatpay`,
        '/hospitals/{hospitalId}/channels/wechatpay',
        { subMchId: SUB_MERCHANTS[i] },
      );
      expect(wechat.status).toBe(200);
      const code = await fetch(`${env.sandbox.url}/sandbox/alipay/app-auth`, {
        method: 'POST',
        body: JSON.stringify({ authAppId: ALIPAY_MERCHANTS[i]?.authAppId }),
      });
      const { app_auth_code } = (await code.json()) as { app_auth_code: string };
      const alipay = await operator(
        'POST',
        `/hospitals/${id}/channels/alipay`,
        '/hospitals/{hospitalId}/channels/alipay',
        { appAuthCode: app_auth_code },
      );
      expect(alipay.status).toBe(200);
    }
    // The province issues East an app; until its keys are in East's secrets the identity is refused.
    const issued = env.sandbox.platform.issueApp();
    const connect = () =>
      operator('POST', `/hospitals/${EAST}/insurance`, '/hospitals/{hospitalId}/insurance', {
        ...EAST_INSURANCE,
        appId: issued.appId,
      });
    const early = await connect();
    expect(early).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    await deps.hospitalSecrets.put(EAST, INSURANCE_PLATFORM_KEYS, JSON.stringify({ appSecret: 'x' }));
    expect((await connect()).status).toBe(400); // incomplete keys
    const { appSecret, sm4KeyHex, privateKeyHex, platformPublicKeyHex } = issued;
    await deps.hospitalSecrets.put(
      EAST,
      INSURANCE_PLATFORM_KEYS,
      JSON.stringify({ appSecret, sm4KeyHex, privateKeyHex, platformPublicKeyHex }),
    );
    const connected = await connect();
    expect(connected).toMatchObject({
      status: 200,
      body: { insurance: { ...EAST_INSURANCE, appId: issued.appId } },
    });
    expect(JSON.stringify(connected.body)).not.toContain(privateKeyHex);
    const unknown = await operator(
      'POST',
      '/hospitals/h-none/insurance',
      '/hospitals/{hospitalId}/insurance',
      {
        ...EAST_INSURANCE,
        appId: issued.appId,
      },
    );
    expect(unknown.status).toBe(404);
    east.appId = issued.appId;
  });
  const east = { appId: '' };

  it('East pays an insured charge through WeChat Pay 医保 as its sub-merchant, with its own codes and app', async () => {
    const { scoped, payment } = await insuredCharge(EAST, 'wechatpay', `east-wx-${Date.now()}`);
    expect(payment.insurance).toMatchObject({ mixPayType: 'CASH_AND_INSURANCE', status: 'ORDERED' });
    // At the platform: uploaded by East's own app. At WeChat: East's sub-merchant, its med_inst_no.
    const platformOrder = [...env.sandbox.platform.orders.values()].find(
      (o) => o.medOrgOrd === payment.insurance?.medOrgOrd,
    );
    expect(platformOrder?.appId).toBe(east.appId);
    const mixed = [...env.sandbox.medical.mixOrders.values()].find(
      (o) => o.outTradeNo === payment.outTradeNo,
    );
    expect(mixed?.request).toMatchObject({
      sub_mchid: SUB_MERCHANTS[0],
      med_inst_no: EAST_INSURANCE.medInstNo,
      med_inst_name: EAST_INSURANCE.medInstName,
      callback_url: `${receiver.url}/webhooks/wechatpay/${EAST}`,
    });
    expect(mixed?.request).not.toHaveProperty('sp_appid');
    // One password: the platform settles, WeChat takes the cash; both notifications find East.
    const paid = await fetch(`${env.sandbox.url}/sandbox/medical-insurance/pay`, {
      method: 'POST',
      body: JSON.stringify({ outTradeNo: payment.outTradeNo }),
    });
    expect(paid.status).toBe(200);
    await vi.waitFor(async () => {
      expect((await loadPayment(scoped.ledger, payment.paymentId)).value).toMatchObject({
        status: 'PAID',
        insurance: { status: 'SETTLED' },
      });
    });
    expect(applied).toContain(`/webhooks/wechatpay/${EAST} 204`);
    // The order is East's: the platform's own merchant (direct mode) does not find it at WeChat.
    expect(await env.medicalOrders.wechatpay.query(payment.outTradeNo)).toEqual({ status: 'NOT_FOUND' });
  });

  it("East pays an insured charge through Alipay's medical product acting for its merchant", async () => {
    const { scoped, payment, clientParams } = await insuredCharge(EAST, 'alipay', `east-ali-${Date.now()}`);
    expect(clientParams.payUrl).toMatch(/^http/);
    const trade = [...env.sandbox.medical.medicalTrades.values()].find(
      (t) => t.outTradeNo === payment.outTradeNo,
    );
    expect(trade?.authAppId).toBe(ALIPAY_MERCHANTS[0].authAppId);
    expect(trade?.request).toMatchObject({
      org_no: EAST_INSURANCE.orgCode,
      extend_params: { sys_service_provider_id: env.ids.alipay.sellerId },
    });
    await fetch(`${env.sandbox.url}/sandbox/medical-insurance/pay`, {
      method: 'POST',
      body: JSON.stringify({ outTradeNo: payment.outTradeNo }),
    });
    // Alipay's medical result payload is not published: the sweep asks, as East's merchant.
    await sweepPendingPayments(scoped, 0);
    expect((await loadPayment(scoped.ledger, payment.paymentId)).value).toMatchObject({
      status: 'PAID',
      insurance: { status: 'SETTLED', selfPayStatus: 'PAID' },
    });
    // The platform's own Alipay merchant does not find the trade.
    expect(await env.medicalOrders.alipay.query(payment.outTradeNo)).toEqual({ status: 'NOT_FOUND' });
  });

  it('East takes an insured visit: Pay Score as its sub-merchant, the insurance step as its own app', async () => {
    const scoped = await deps.inHospital(deps, EAST);
    const { visit } = await openVisit(scoped, {
      patientId: 'PV-EAST',
      channel: 'wechatpay',
      payer: { wechatOpenId: OPENID },
      insured: true,
      requestKey: `east-visit-${Date.now()}`,
    });
    const confirmed = await fetch(`${env.sandbox.url}/sandbox/authorise`, {
      method: 'POST',
      body: JSON.stringify({ channel: 'wechatpay', outOrderNo: visit.outOrderNo }),
    });
    expect(confirmed.status).toBe(200);
    expect((await getVisit(scoped, visit.visitId)).status).toBe('OPEN');
    await addCharge(scoped, visit.visitId, {
      chargeId: 'LAB',
      category: 'laboratory',
      description: '血常规',
      amountFen: fen(10_000),
      listing: { listCode: '250101001', hospitalListCode: 'H-LAB', quantity: '1' },
    });
    await addCharge(scoped, visit.visitId, {
      chargeId: 'REG',
      category: 'registration',
      description: '挂号',
      amountFen: fen(2_000),
    });
    const { authCode } = env.sandbox.platform.authorise({ channel: 'wechatpay', payerId: OPENID });
    const hold = await preauthoriseInsurance(scoped, visit.visitId, { authCode, location: '113.26,23.12' });
    expect(hold.insuredFen).toBeGreaterThan(0);
    // The platform holds it under East's own app.
    expect(env.sandbox.platform.orders.get(hold.preauthId)?.appId).toBe(east.appId);
    await settleVisit(scoped, visit.visitId, { requestedBy: 'staff:s-east' });
    await vi.waitFor(async () => {
      expect(await getVisit(scoped, visit.visitId)).toMatchObject({
        status: 'SETTLED',
        settlement: { insuredFen: hold.insuredFen, capturedFen: hold.selfPayFen },
      });
    });
  });

  it('West, with no 医保 identity, is refused insured payments rather than served as another hospital', async () => {
    const west = await deps.inHospital(deps, WEST);
    expect(west.insured).toBeUndefined();
    await expect(insuredCharge(WEST, 'wechatpay', `west-${Date.now()}`)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
