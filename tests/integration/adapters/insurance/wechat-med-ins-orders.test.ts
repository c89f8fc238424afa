/**
 * WeChat 医保 2.0 mixed orders for a charge against the sandbox, over real HTTP with WeChat's signatures and
 * RSA-OAEP payer fields: the platform's 6201 split carried as CASH_AND_INSURANCE, INSURANCE_ONLY and
 * CASH_ONLY, the rules checked before sending, the password step, the query and the refund notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../../lib/domain/money';
import type { Split } from '../../../../lib/domain/insurance';
import type { MedicalOrderRequest, MixPayType } from '../../../../lib/ports/medical-orders';
import { sandboxWithProviders } from '../../../support/sandbox';

type Env = Awaited<ReturnType<typeof sandboxWithProviders>>;

describe('WeChat mixed orders for a charge (/v3/med-ins/orders)', () => {
  let env: Env;
  beforeAll(async () => {
    env = await sandboxWithProviders('http://127.0.0.1:9');
    env.sandbox.settings.notifications = false;
  });
  afterAll(() => env.sandbox.close());

  /** Authorise, exchange and upload 6201 lines of `lines` (list code → fen); the order request that follows. */
  async function insuredOrder(no: string, lines: Record<string, number>, mixPayType?: MixPayType) {
    const { authCode } = env.sandbox.platform.authorise({
      channel: 'wechatpay',
      payerId: 'o-mi-1',
      name: '张三',
      idNumber: '44030019000101123X',
    });
    const auth = await env.insurance.auth.wechatpay.exchange({ authCode, payerId: 'o-mi-1' });
    const totalFen = fen(Object.values(lines).reduce((a, b) => a + b, 0));
    const up = await env.insurance.platform.uploadFees({
      payAuthNo: auth.payAuthNo,
      insuredRegion: auth.insuredRegion,
      location: auth.location ?? '',
      medOrgOrd: `MO${no}`,
      chargeBatchNo: `B${no}`,
      medicalType: '11',
      totalFen,
      lines: Object.entries(lines).map(([listCode, amount], i) => ({
        lineId: `L${i}`,
        listCode,
        hospitalListCode: `H${i}`,
        name: listCode,
        quantity: '1',
        amountFen: fen(amount),
      })),
      at: new Date(),
    });
    const insured = up.split.fundFen + up.split.personalAccountFen;
    const request: MedicalOrderRequest = {
      outTradeNo: `MPMI${no}`,
      description: '门诊缴费',
      purpose: 'examination',
      payer: { wechatOpenId: 'o-mi-1' },
      patient: { name: '张三', idNumber: '44030019000101123x', cardType: 'ID_CARD' },
      mixPayType:
        mixPayType ??
        (up.split.selfPayFen === 0 ? 'INSURANCE_ONLY' : insured === 0 ? 'CASH_ONLY' : 'CASH_AND_INSURANCE'),
      totalFen,
      split: up.split,
      platform: {
        payAuthNo: auth.payAuthNo,
        payOrdId: up.payOrdId,
        medOrgOrd: `MO${no}`,
        chargeBatchNo: `B${no}`,
        location: auth.location ?? '',
        city: auth.insuredRegion,
        createdAt: new Date(),
      },
      expiresAt: new Date(Date.now() + 30 * 60_000),
    };
    return { request, up };
  }

  it('CASH_AND_INSURANCE: prepay and mixed order, one password, both parts paid', async () => {
    // 100.00 of a service item (80 % fund) and 50.00 outside the lists; the account has 10.00 left.
    env.sandbox.platform.settings.defaultPersonalAccountFen = 1_000;
    const { request, up } = await insuredOrder('1', { '250101001': 10_000, S9: 5_000 });
    expect(up.split).toEqual({ fundFen: 8_000, personalAccountFen: 1_000, selfPayFen: 6_000 });
    const created = await env.medicalOrders.wechatpay.create(request);
    expect(created.clientParams).toMatchObject({ mixTradeNo: created.channelOrderNo, signType: 'RSA' });
    expect(created.clientParams.package).toMatch(/^prepay_id=/);
    expect(await env.medicalOrders.wechatpay.query(request.outTradeNo)).toMatchObject({ status: 'PENDING' });
    await fetch(`${env.sandbox.url}/sandbox/medical-insurance/pay`, {
      method: 'POST',
      body: JSON.stringify({ outTradeNo: request.outTradeNo }),
    });
    expect(await env.medicalOrders.wechatpay.query(request.outTradeNo)).toMatchObject({
      status: 'PAID',
      channelOrderNo: created.channelOrderNo,
      totalFen: 15_000,
      split: up.split,
      payOrdId: up.payOrdId,
      cashTaken: true,
    });
    expect(env.sandbox.platform.orders.get(up.payOrdId)?.status).toBe('SETTLED');
  });

  it('INSURANCE_ONLY (self-pay 0) has no prepay; CASH_ONLY has no 医保 order', async () => {
    env.sandbox.platform.settings.defaultPersonalAccountFen = 100_000;
    const insuranceOnly = await insuredOrder('2', { '250101001': 10_000 });
    expect(insuranceOnly.request.mixPayType).toBe('INSURANCE_ONLY');
    const created = await env.medicalOrders.wechatpay.create(insuranceOnly.request);
    expect(created.clientParams).toEqual({ mixTradeNo: created.channelOrderNo });

    const cashOnly: MedicalOrderRequest = {
      ...insuranceOnly.request,
      outTradeNo: 'MPMI3',
      mixPayType: 'CASH_ONLY',
      totalFen: fen(3_000),
      split: { fundFen: fen(0), personalAccountFen: fen(0), selfPayFen: fen(3_000) },
      platform: undefined,
    };
    const cash = await env.medicalOrders.wechatpay.create(cashOnly);
    expect(cash.clientParams.package).toMatch(/^prepay_id=/);
    await fetch(`${env.sandbox.url}/sandbox/medical-insurance/pay`, {
      method: 'POST',
      body: JSON.stringify({ outTradeNo: 'MPMI3' }),
    });
    expect(await env.medicalOrders.wechatpay.query('MPMI3')).toMatchObject({
      status: 'PAID',
      totalFen: 3_000,
    });
  });

  it('a discharge: IN_HOSP_PAY with the unlisted charges added and the deposits taken off (W1 §4, W2 §3)', async () => {
    // 100.00 listed (80 % fund, 10.00 from the account, 10.00 self-pay), 50.00 unlisted, 40.00 of deposits.
    env.sandbox.platform.settings.defaultPersonalAccountFen = 1_000;
    const { request, up } = await insuredOrder('D5', { '250101001': 10_000 });
    expect(up.split).toEqual({ fundFen: 8_000, personalAccountFen: 1_000, selfPayFen: 1_000 });
    const discharge: MedicalOrderRequest = {
      ...request,
      purpose: 'deposit',
      mixPayType: 'CASH_AND_INSURANCE',
      totalFen: fen(11_000),
      split: { ...up.split, selfPayFen: fen(2_000) },
      cashAdjustments: { unlistedFen: fen(5_000), prepaidFen: fen(4_000) },
    };
    await env.medicalOrders.wechatpay.create(discharge);
    const sent = [...env.sandbox.medical.mixOrders.values()].find((o) => o.outTradeNo === request.outTradeNo);
    expect(sent?.request).toMatchObject({
      order_type: 'IN_HOSP_PAY',
      total_fee: 15_000,
      med_ins_gov_fee: 8_000,
      med_ins_self_fee: 1_000,
      med_ins_cash_fee: 1_000,
      wechat_pay_cash_fee: 2_000,
      cash_add_detail: [{ cash_add_fee: 5_000, cash_add_type: 'OTHER_MEDICAL_EXPENSES' }],
      cash_reduce_detail: [{ cash_reduce_fee: 4_000, cash_reduce_type: 'PRE_PAYMENT' }],
    });
    await fetch(`${env.sandbox.url}/sandbox/medical-insurance/pay`, {
      method: 'POST',
      body: JSON.stringify({ outTradeNo: request.outTradeNo }),
    });
    expect(await env.medicalOrders.wechatpay.query(request.outTradeNo)).toMatchObject({
      status: 'PAID',
      totalFen: 11_000,
      split: { fundFen: 8_000, personalAccountFen: 1_000, selfPayFen: 2_000 },
      cashAdjustments: { unlistedFen: 5_000, prepaidFen: 4_000 },
    });
    // More off than the self-pay and unlisted parts leaves med_ins_cash_fee negative: refused before sending.
    await expect(
      env.medicalOrders.wechatpay.create({
        ...discharge,
        outTradeNo: 'MPMID6',
        split: { ...up.split, selfPayFen: fen(0) },
        totalFen: fen(9_000),
        mixPayType: 'INSURANCE_ONLY',
        cashAdjustments: { unlistedFen: fen(5_000), prepaidFen: fen(1_000) },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses, before sending, parts that do not add up and a type that does not fit the split', async () => {
    env.sandbox.platform.settings.defaultPersonalAccountFen = 1_000;
    const { request } = await insuredOrder('4', { '250101001': 10_000, S9: 5_000 });
    const broken: Split = { ...request.split, selfPayFen: fen(request.split.selfPayFen + 1) };
    await expect(env.medicalOrders.wechatpay.create({ ...request, split: broken })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      env.medicalOrders.wechatpay.create({ ...request, mixPayType: 'INSURANCE_ONLY' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect([...env.sandbox.medical.mixOrders.values()].some((o) => o.outTradeNo === request.outTradeNo)).toBe(
      false,
    );
  });

  it('WeChat refuses a payer whose identity is not the insured person (268545961)', async () => {
    const { request } = await insuredOrder('5', { '250101001': 10_000, S9: 5_000 });
    await expect(
      env.medicalOrders.wechatpay.create({
        ...request,
        patient: { name: '张三', idNumber: '440300190001011230', cardType: 'ID_CARD' },
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('268545961') as string,
    });
  });

  it('tells WeChat the insured part was refunded, after the cash refund with the same out_refund_no', async () => {
    env.sandbox.platform.settings.defaultPersonalAccountFen = 1_000;
    const { request, up } = await insuredOrder('6', { '250101001': 10_000, S9: 5_000 });
    const created = await env.medicalOrders.wechatpay.create(request);
    await fetch(`${env.sandbox.url}/sandbox/medical-insurance/pay`, {
      method: 'POST',
      body: JSON.stringify({ outTradeNo: request.outTradeNo }),
    });
    const notice = {
      channelOrderNo: created.channelOrderNo,
      outRefundNo: 'MRMI6',
      split: up.split,
      at: new Date(),
    };
    // Before the cash refund exists WeChat refuses the notice (W1 §7: cash refund first, same out_refund_no).
    await expect(env.medicalOrders.wechatpay.notifyInsuranceRefund(notice)).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });
    await env.providers.wechatpay.refund({
      outTradeNo: request.outTradeNo,
      outRefundNo: 'MRMI6',
      amountFen: up.split.selfPayFen,
      totalFen: up.split.selfPayFen,
      reason: '退费',
    });
    await env.medicalOrders.wechatpay.notifyInsuranceRefund(notice);
    expect(await env.medicalOrders.wechatpay.query(request.outTradeNo)).toMatchObject({ status: 'REFUNDED' });
  });
});
