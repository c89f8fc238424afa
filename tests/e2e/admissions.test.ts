/**
 * Inpatients over the local stack (#23): the HIS opens an admission; the patient tops it up in the WeChat
 * mini-program and a relative through a payment link paid in Alipay; the day's charges run the balance
 * down, and the HIS endpoint receives AdmissionLowBalance; at discharge the patient authorises insurance,
 * the platform pays its part, the deposits the rest, and the surplus goes back to the two payers, the most
 * recent top-up first, the settlement carried on by the refunds' own events. The journal ends with the
 * admission's deposit and tab at zero. Then a stay with arrears, paid through the link medpay asks with,
 * and the refusals; and a legacy balance that cannot be refunded, reported with why.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../lib/adapters/dynamodb/client';
import { hospitalKeys } from '../../lib/adapters/dynamodb/keys';
import { dynamoLedgerStore } from '../../lib/adapters/dynamodb/ledger-store';
import { businessDayOf } from '../../lib/domain/business-day';
import { Accounts } from '../../lib/domain/ledger/accounts';
import { payerFor, stackClient, startLocalStack, type LocalStack } from '../support/local-stack';
import { startHisEndpoint } from '../support/his-endpoint';

type Json = Record<string, any>;
const RELATIVE = '2088000000004444';

describe('inpatient deposits and discharge over the local stack', () => {
  let local: LocalStack;
  let client: ReturnType<typeof stackClient>;
  let his: Awaited<ReturnType<typeof startHisEndpoint>>;
  beforeAll(async () => {
    his = await startHisEndpoint();
    local = await startLocalStack();
    client = stackClient(local);
    const registered = await client.api('POST', '/notification-endpoints', local.stack.tokens.admin, {
      url: his.url,
      events: ['AdmissionLowBalance', 'AdmissionArrearsRequested', 'AdmissionSettled'],
      description: 'ward',
    });
    expect(registered.status).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await local?.stop();
    await his?.close();
  });

  const staff = () => local.stack.tokens.staff;
  const ledger = () =>
    dynamoLedgerStore(
      createDocumentClient({ region: 'cn-north-1', endpoint: local.stack.dynamodbUrl }),
      local.stack.tableName,
      hospitalKeys('default'),
    );
  const balances = async (admissionId: string) => ({
    deposit: (await ledger().balanceOf(Accounts.admissionDeposit(admissionId))).netFen,
    tab: (await ledger().balanceOf(Accounts.admissionTab(admissionId))).netFen,
  });
  /** Waits until the HIS received an event of `type` about the admission (the relay runs every 2 s). */
  async function eventually(type: string, admissionId: string): Promise<Json> {
    for (let i = 0; i < 240; i++) {
      const found = his.received.find((r) => r.type === type && r.data.admissionId === admissionId);
      if (found) return found.data;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(
      `${type} for ${admissionId} not received: ${JSON.stringify(his.received.map((r) => r.type))}`,
    );
  }
  /** Polls the admission until `done` (the settlement goes on when the refunds' events arrive). */
  async function until(admissionId: string, token: string, done: (a: Json) => boolean): Promise<Json> {
    for (let i = 0; i < 240; i++) {
      const a = (await client.api('GET', `/admissions/${admissionId}`, token)).body;
      if (done(a)) return a;
      await new Promise((r) => setTimeout(r, 250));
    }
    return (await client.api('GET', `/admissions/${admissionId}`, token)).body;
  }
  const admit = async (patientId: string, over: Json = {}) => {
    const admissionId = `ZY${randomUUID().slice(0, 8).toUpperCase()}`;
    const opened = await client.api('POST', '/admissions', staff(), {
      admissionId,
      patientId,
      ward: '外科二病区',
      requestedDepositFen: 50_000,
      ...over,
    });
    expect(opened).toMatchObject({ status: 201, body: { status: 'OPEN', balanceFen: 0 } });
    return admissionId;
  };
  /** A relative pays a payment link in Alipay's phone cashier. */
  async function payLinkInAlipay(payUrl: string) {
    const pay = await fetch(payUrl, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);
    const gateway = new URL(pay.headers.get('location') ?? '');
    expect((await fetch(gateway)).status).toBe(200); // the wallet's cashier: the order exists now
    const outTradeNo = String(JSON.parse(gateway.searchParams.get('biz_content') ?? '{}').out_trade_no);
    const paid = await client.sandbox('/sandbox/pay', { channel: 'alipay', outTradeNo, payer: RELATIVE });
    expect(paid).toMatchObject({ status: 'PAID', responseStatus: 200 });
  }

  it('two payers, daily charges, the low-balance callback, insurance at discharge, the surplus back to both', async () => {
    const patient = await client.patient();
    const admissionId = await admit(patient.sub, { lowBalanceFen: 70_000 });
    // The patient's own top-up in the WeChat mini-program.
    const own = await client.api('POST', '/payments', patient.token, {
      channel: 'wechatpay',
      purpose: 'deposit',
      referenceId: admissionId,
      amountFen: 100_000,
      description: '住院预交金',
      payer: payerFor('wechatpay'),
    });
    expect(own.status).toBe(201);
    expect(
      await client.sandbox('/sandbox/pay', { channel: 'wechatpay', outTradeNo: own.body.outTradeNo }),
    ).toMatchObject({ status: 'PAID', responseStatus: 204 });
    // A relative's top-up through a link the ward sends (代缴).
    const link = await client.api('POST', '/payments', staff(), {
      mode: 'h5',
      channel: 'alipay',
      purpose: 'deposit',
      referenceId: admissionId,
      patientId: patient.sub,
      amountFen: 50_000,
      description: '住院预交金（家属代缴）',
    });
    expect(link.status).toBe(201);
    await payLinkInAlipay(String(link.body.clientParams.payUrl));

    let shown = (await client.api('GET', `/admissions/${admissionId}`, patient.token)).body;
    expect(shown).toMatchObject({ depositsFen: 150_000, balanceFen: 150_000, lowBalance: false });
    expect(shown.topUps.map((t: Json) => [t.paymentId, t.status, t.payerId])).toEqual([
      [own.body.paymentId, 'PAID', payerFor('wechatpay').wechatOpenId],
      [link.body.paymentId, 'PAID', RELATIVE],
    ]);
    // Another patient sees nothing of it.
    expect(
      (await client.api('GET', `/admissions/${admissionId}`, (await client.patient()).token)).status,
    ).toBe(404);

    // Three days of charges: listed ones (insurance pays its part) and one outside the lists.
    const post = (chargeId: string, amountFen: number, listed: boolean, serviceDate?: string) =>
      client.api('POST', `/admissions/${admissionId}/charges`, staff(), {
        chargeId,
        category: listed ? 'bed' : 'nursing',
        description: chargeId,
        amountFen,
        ...(serviceDate ? { serviceDate } : {}),
        ...(listed ? { listing: { listCode: '250101001', hospitalListCode: `H-${chargeId}` } } : {}),
      });
    expect((await post('D1-BED', 40_000, true)).body).toMatchObject({
      balanceFen: 110_000,
      lowBalance: false,
    });
    expect((await post('D2-BED', 30_000, true)).body).toMatchObject({
      balanceFen: 80_000,
      lowBalance: false,
    });
    expect((await post('D2-BED', 30_000, true)).status).toBe(201); // the same line again: nothing more
    expect((await post('D2-BED', 31_000, true)).body.error.code).toBe('CHARGE_ID_REUSED');
    expect((await post('D3-CARE', 20_000, false)).body).toMatchObject({
      balanceFen: 60_000,
      lowBalance: true,
    });
    const low = await eventually('AdmissionLowBalance', admissionId);
    expect(low).toMatchObject({ balanceFen: 60_000, lowBalanceFen: 70_000, patientId: patient.sub });
    const lines = (await client.api('GET', `/admissions/${admissionId}/charges?limit=2`, patient.token)).body;
    expect(lines.items.map((c: Json) => c.chargeId)).toEqual(['D1-BED', 'D2-BED']);
    expect(lines.nextCursor).toBeDefined();

    // Discharge: the patient authorises insurance in the wallet at the bedside.
    const { authCode } = await client.sandbox('/sandbox/medical-insurance/authorise', {
      channel: 'wechatpay',
      payerId: payerFor('wechatpay').wechatOpenId,
      name: '张三',
      idNumber: '44030019000101123X',
    });
    const discharged = await client.api('POST', `/admissions/${admissionId}/discharge`, staff(), {
      insurance: {
        channel: 'wechatpay',
        authCode,
        payerId: payerFor('wechatpay').wechatOpenId,
        medicalType: '21',
      },
    });
    expect([200, 202]).toContain(discharged.status);
    const plan = discharged.body.settlement.plan as Json;
    expect(plan.split.fundFen + plan.split.personalAccountFen).toBeGreaterThan(0);
    expect(plan.split.fundFen + plan.split.personalAccountFen + plan.split.selfPayFen).toBe(90_000);
    expect(plan).toMatchObject({ deductedFen: plan.split.selfPayFen, arrearsFen: 0 });
    // The relative's top-up is the most recent: it goes back first, whole; the patient's takes the rest.
    expect(plan.refunds.map((r: Json) => [r.paymentId, r.amountFen, r.payerId])).toEqual([
      [link.body.paymentId, 50_000, RELATIVE],
      [own.body.paymentId, plan.surplusFen - 50_000, payerFor('wechatpay').wechatOpenId],
    ]);
    // Charges stop at discharge.
    expect((await post('D4-LATE', 1_000, true)).status).toBe(409);
    shown = await until(admissionId, staff(), (a) => a.status === 'SETTLED');
    expect(shown.status).toBe('SETTLED');
    const settled = await eventually('AdmissionSettled', admissionId);
    expect(settled).toMatchObject({ refundedFen: plan.surplusFen, deductedFen: plan.deductedFen });
    expect(await balances(admissionId)).toEqual({ deposit: 0, tab: 0 });
    // The admission's statement: every movement in order, ending where the ledger's accounts are.
    const statement = (await client.api('GET', `/admissions/${admissionId}/statement`, patient.token)).body;
    expect(statement.lines.map((l: Json) => l.kind)).toEqual([
      'top-up',
      'top-up',
      'charge',
      'charge',
      'charge',
      'insurance',
      'deduction',
      'refund',
      'refund',
    ]);
    expect(statement.lines[4]).toMatchObject({ depositFen: 150_000, tabFen: 90_000 });
    expect(statement.totals).toEqual({
      toppedUpFen: 150_000,
      chargedFen: 90_000,
      insuredFen: 90_000 - plan.split.selfPayFen,
      deductedFen: plan.deductedFen,
      refundedFen: plan.surplusFen,
      arrearsPaidFen: 0,
      depositFen: 0,
      tabFen: 0,
    });
    expect(statement.accounts).toEqual({ depositFen: 0, tabFen: 0 });
    // At the wallets: each payer got their own money back.
    const orders = (await client.sandbox('/sandbox/orders')) as unknown as Json[];
    const refundsOf = (outTradeNo: string) =>
      orders.find((o) => o.outTradeNo === outTradeNo)?.refunds.map((r: Json) => [r.amountFen, r.payer]);
    const linkPayment = (await client.api('GET', `/payments/${link.body.paymentId}`, staff())).body;
    expect(refundsOf(linkPayment.outTradeNo)).toEqual([[50_000, RELATIVE]]);
    expect(refundsOf(own.body.outTradeNo)).toEqual([
      [plan.surplusFen - 50_000, payerFor('wechatpay').wechatOpenId],
    ]);
  });

  it('arrears: a payment link for what the deposits do not cover; paid, the admission settles', async () => {
    const patient = await client.patient();
    const admissionId = await admit(patient.sub);
    const own = await client.api('POST', '/payments', patient.token, {
      channel: 'alipay',
      purpose: 'deposit',
      referenceId: admissionId,
      amountFen: 10_000,
      description: '住院预交金',
      payer: payerFor('alipay'),
    });
    await client.sandbox('/sandbox/pay', { channel: 'alipay', outTradeNo: own.body.outTradeNo });
    await client.api('POST', `/admissions/${admissionId}/charges`, staff(), {
      chargeId: 'OP-1',
      category: 'surgery',
      description: '手术费',
      amountFen: 35_000,
    });
    const waiting = await client.api('POST', `/admissions/${admissionId}/discharge`, staff(), {});
    expect(waiting).toMatchObject({
      status: 200,
      body: { status: 'AWAITING_ARREARS', settlement: { plan: { deductedFen: 10_000, arrearsFen: 25_000 } } },
    });
    const requested = await eventually('AdmissionArrearsRequested', admissionId);
    expect(requested).toMatchObject({ arrearsFen: 25_000 });
    await payLinkInAlipay(String(waiting.body.settlement.arrears.payUrl));
    const settled = (await client.api('GET', `/admissions/${admissionId}`, patient.token)).body;
    expect(settled).toMatchObject({ status: 'SETTLED', settlement: { arrears: { status: 'PAID' } } });
    await eventually('AdmissionSettled', admissionId);
    expect(await balances(admissionId)).toEqual({ deposit: 0, tab: 0 });
    const statement = (await client.api('GET', `/admissions/${admissionId}/statement`, staff())).body;
    expect(statement.lines.map((l: Json) => [l.kind, l.amountFen, l.depositFen, l.tabFen])).toEqual([
      ['top-up', 10_000, 10_000, 0],
      ['charge', 35_000, 10_000, 35_000],
      ['deduction', 10_000, 0, 25_000],
      ['arrears', 25_000, 0, 0],
    ]);
  });

  it("the day's deposit movements (top-ups, surplus refunds, arrears) reconcile with both wallets' bills", async () => {
    const today = businessDayOf(new Date());
    for (const channel of ['wechatpay', 'alipay']) {
      const run = await client.api('POST', '/reconciliations', local.stack.tokens.finance, {
        date: today,
        channel,
      });
      expect(run).toMatchObject({
        status: 201,
        body: {
          status: 'COMPLETED',
          summary: { missingInLedger: 0, missingAtProvider: 0, amountMismatch: 0 },
        },
      });
      // WeChat: the patient's top-up and its refund; Alipay: the relative's and its refund, a top-up, the arrears.
      expect(run.body.summary.matched).toBeGreaterThanOrEqual(channel === 'wechatpay' ? 2 : 4);
    }
    // The statement shows the top-ups and the refunds under the admission, and the insured part of a discharge.
    const csv = await fetch(`${local.stack.apiUrl}/statements/${today}?format=csv`, {
      headers: { authorization: `Bearer ${local.stack.tokens.finance}` },
    });
    const text = await csv.text();
    expect(text).toContain('住院预交金 deposit');
    expect(text).toContain('出院结算 discharge');
  });

  it('refuses with clear 4xx: a top-up over the cap, discharge while a top-up is pending, a refund by hand, bad input', async () => {
    const patient = await client.patient();
    const admissionId = await admit(patient.sub, { depositCapFen: 50_000 });
    const topUp = (amountFen: number, token = patient.token) =>
      client.api('POST', '/payments', token, {
        channel: 'wechatpay',
        purpose: 'deposit',
        referenceId: admissionId,
        amountFen,
        description: '住院预交金',
        payer: payerFor('wechatpay'),
      });
    expect((await topUp(50_001)).body.error.code).toBe('DEPOSIT_CAP_EXCEEDED');
    expect((await topUp(100, (await client.patient()).token)).status).toBe(404);
    const pending = await topUp(20_000);
    expect(pending.status).toBe(201);
    const refused = await client.api('POST', `/admissions/${admissionId}/discharge`, staff(), {});
    expect([refused.status, refused.body.error.code]).toEqual([409, 'TOP_UP_PENDING']);
    await client.sandbox('/sandbox/pay', { channel: 'wechatpay', outTradeNo: pending.body.outTradeNo });
    const byHand = await client.api('POST', `/payments/${pending.body.paymentId}/refunds`, staff(), {
      amountFen: 100,
      reason: 'by hand',
    });
    expect([byHand.status, byHand.body.error.code]).toEqual([409, 'INVALID_STATE']);
    expect(
      (
        await client.api('POST', '/admissions', staff(), {
          admissionId,
          patientId: 'other',
          ward: 'x',
          requestedDepositFen: 1,
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await client.api('POST', '/admissions', staff(), {
          admissionId: 'bad id',
          patientId: 'p',
          ward: 'x',
          requestedDepositFen: 1,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await client.api('POST', '/admissions', patient.token, {
          admissionId: 'X1',
          patientId: 'p',
          ward: 'x',
          requestedDepositFen: 1,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await client.api('POST', `/admissions/${admissionId}/charges`, staff(), {
          chargeId: 'C',
          category: 'bed',
          description: 'x',
          amountFen: 1.5,
        })
      ).status,
    ).toBe(400);
    expect((await client.api('POST', '/admissions/NOPE/discharge', staff(), {})).status).toBe(404);

    // A legacy outpatient balance whose payment medpay never took: reported, nothing refunded.
    const legacy = await client.api('POST', '/legacy-deposits/refunds', local.stack.tokens.finance, {
      reason: '门诊预交金清退',
      balances: [
        {
          balanceId: `YE-${admissionId}`,
          patientId: patient.sub,
          amountFen: 500,
          paymentIds: ['pay_UNKNOWN'],
        },
      ],
    });
    expect(legacy).toMatchObject({
      status: 202,
      body: { status: 'COMPLETED', totals: { failed: 1 }, failures: [{ reasons: ['UNKNOWN_PAYMENT'] }] },
    });
    const progress = await client.api('GET', `/legacy-deposits/refunds/${legacy.body.batchId}`, staff());
    expect(progress).toMatchObject({
      status: 200,
      body: { batchId: legacy.body.batchId, status: 'COMPLETED' },
    });
  });

  it("discharge in WeChat's mixed order: the patient confirms, the order's event runs the settlement on", async () => {
    const patient = await client.patient();
    const admissionId = await admit(patient.sub);
    const openId = payerFor('wechatpay').wechatOpenId;
    const own = await client.api('POST', '/payments', patient.token, {
      channel: 'wechatpay',
      purpose: 'deposit',
      referenceId: admissionId,
      amountFen: 80_000,
      description: '住院预交金',
      payer: payerFor('wechatpay'),
    });
    await client.sandbox('/sandbox/pay', { channel: 'wechatpay', outTradeNo: own.body.outTradeNo });
    for (const [chargeId, amountFen, listed] of [
      ['W1-BED', 40_000, true],
      ['W1-CARE', 10_000, false],
    ] as const)
      await client.api('POST', `/admissions/${admissionId}/charges`, staff(), {
        chargeId,
        category: 'bed',
        description: chargeId,
        amountFen,
        ...(listed ? { listing: { listCode: '250101001', hospitalListCode: `H-${chargeId}` } } : {}),
      });
    const { authCode } = await client.sandbox('/sandbox/medical-insurance/authorise', {
      channel: 'wechatpay',
      payerId: openId,
      name: '张三',
      idNumber: '44030019000101123X',
    });
    const ordered = await client.api('POST', `/admissions/${admissionId}/discharge`, staff(), {
      insurance: {
        channel: 'wechatpay',
        authCode,
        payerId: openId,
        medicalType: '21',
        settleIn: 'wallet',
        patient: { name: '张三', idNumber: '44030019000101123X' },
      },
    });
    expect(ordered).toMatchObject({
      status: 202,
      body: {
        status: 'SETTLING',
        settlement: { step: 'INSURANCE', insurance: { status: 'ORDERING', settleIn: 'wallet' } },
      },
    });
    const orderId = String(ordered.body.settlement.insurance.paymentId);
    expect(ordered.body.clientParams.mixTradeNo).toBeDefined();
    const order = (await client.api('GET', `/payments/${orderId}`, staff())).body;
    // The patient enters the password in WeChat; MEDICAL_INSURANCE.SUCCESS reaches medpay's webhook.
    expect(
      await client.sandbox('/sandbox/medical-insurance/pay', { outTradeNo: order.outTradeNo }),
    ).toMatchObject({ notified: true, responseStatus: 204 });
    // PaymentSucceeded runs the settlement on: the deduction is booked and the surplus refunded.
    const shown = await until(admissionId, staff(), (a) => a.status === 'SETTLED');
    const selfPay = Number(ordered.body.settlement.insurance.split.selfPayFen);
    expect(shown).toMatchObject({
      status: 'SETTLED',
      settlement: {
        insurance: { status: 'SETTLED', settleIn: 'wallet', paymentId: orderId },
        plan: { deductedFen: selfPay, surplusFen: 80_000 - selfPay, arrearsFen: 0 },
      },
    });
    await eventually('AdmissionSettled', admissionId);
    expect(await balances(admissionId)).toEqual({ deposit: 0, tab: 0 });
    const statement = (await client.api('GET', `/admissions/${admissionId}/statement`, patient.token)).body;
    expect(statement.lines.map((l: Json) => l.kind)).toEqual([
      'top-up',
      'charge',
      'charge',
      'insurance',
      'deduction',
      'refund',
    ]);
    expect(statement.totals).toMatchObject({ insuredFen: 50_000 - selfPay, deductedFen: selfPay, tabFen: 0 });
    // Refunding the discharge order by hand is refused: the admission's settlement owns it.
    expect(
      (
        await client.api('POST', `/payments/${orderId}/refunds`, staff(), {
          amountFen: 1,
          reason: 'x',
        })
      ).status,
    ).toBe(409);
  });
});
