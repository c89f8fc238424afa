/**
 * Insured payments' failure paths against DynamoDB Local and the sandbox (platform, WeChat): a wallet order
 * that cannot be placed after 6201 (revoked with 6401, payment CLOSED), authentic wallet results that
 * contradict the record (integrity alerts, nothing changed), and a mixed order that fails after the password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulidIds } from '../../../../lib/adapters/system/ulid-ids';
import { IntegrityAlertError } from '../../../../lib/domain/errors';
import { fen } from '../../../../lib/domain/money';
import { applyNotification } from '../../../../lib/usecases/payments/apply-notification';
import { createInsuredPayment } from '../../../../lib/usecases/payments/create-insured';
import { settleInsured } from '../../../../lib/usecases/payments/settle-insured';
import type { PaymentDeps } from '../../../../lib/usecases/payments/deps';
import { loadPayment } from '../../../../lib/usecases/payments/records';
import { testDeps } from '../../../support/dynamo';
import { sandboxWithProviders } from '../../../support/sandbox';
import { INSURED_PERSON, SAMPLE_FEE_LINES } from '../../../support/insured';

describe('insured payments: failures and integrity', () => {
  let deps: PaymentDeps;
  let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
  const openid = 'o-insured-1';
  beforeAll(async () => {
    env = await sandboxWithProviders('http://127.0.0.1:9');
    deps = {
      ...(await testDeps()),
      providers: env.providers,
      ids: ulidIds(),
      insured: {
        platform: env.insurance.platform,
        auth: env.insurance.auth,
        orders: env.medicalOrders,
        defaultMedicalType: '11',
      },
    };
    env.sandbox.platform.settings.defaultPersonalAccountFen = 1_000;
  });
  afterAll(() => env.sandbox.close());

  /** A 150.00 charge: 100.00 of a service item (80 % fund) and 50.00 outside the lists. */
  const insured = async (
    requestKey: string,
    patient: { name: string; idNumber: string } = INSURED_PERSON,
  ) => {
    const { authCode } = env.sandbox.platform.authorise({
      channel: 'wechatpay',
      payerId: openid,
      ...patient,
    });
    return createInsuredPayment(deps, {
      requestKey,
      patientId: 'PI1',
      channel: 'wechatpay',
      purpose: 'examination',
      referenceId: `HIS-${authCode.slice(-6)}`,
      amountFen: fen(15_000),
      description: '门诊缴费',
      payer: { wechatOpenId: openid },
      mode: 'mini-program',
      insurance: {
        authCode,
        feeLines: SAMPLE_FEE_LINES,
        patient: { ...INSURED_PERSON, cardType: 'ID_CARD' },
      },
    });
  };
  const platformOrderOf = (medOrgOrd: string) =>
    [...env.sandbox.platform.orders.values()].find((o) => o.medOrgOrd === medOrgOrd);

  it('a mixed order WeChat refuses after 6201: the upload is revoked (6401) and the payment CLOSED', async () => {
    // WeChat checks the payer against the insured person: someone else's identity is refused (268545961).
    const key = `refused-${Date.now()}`;
    await expect(insured(key, { name: '李四', idNumber: '110105194912310021' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const payment = (await loadPayment(deps.ledger, deps.ids.derive('payment', key))).value;
    expect(payment).toMatchObject({ status: 'CLOSED', insurance: { status: 'REVOKED' } });
    expect(platformOrderOf(payment.insurance?.medOrgOrd ?? '')?.status).toBe('REVOKED');
    expect(await deps.ledger.getTransaction(`payment:${payment.paymentId}:captured`)).toBeUndefined();
  });

  it('an authentic MEDICAL_INSURANCE.SUCCESS whose split breaks the record is an integrity alert; nothing changes', async () => {
    const { payment } = await insured(`alert-${Date.now()}`);
    const ins = payment.insurance;
    if (!ins) throw new Error('not insured');
    const event = {
      kind: 'insurance.succeeded' as const,
      channel: 'wechatpay' as const,
      notificationId: `n-${payment.paymentId}`,
      outTradeNo: payment.outTradeNo,
      channelOrderNo: ins.channelOrderNo ?? '',
      totalFen: payment.amountFen,
      split: ins.split,
      payOrdId: ins.payOrdId,
      payerId: openid,
      paidAt: new Date(),
    };
    // More from the fund and less from the account: same total, another split.
    const shifted = {
      ...ins.split,
      fundFen: fen(ins.split.fundFen + 100),
      personalAccountFen: fen(ins.split.personalAccountFen - 100),
    };
    await expect(applyNotification(deps, { ...event, split: shifted })).rejects.toBeInstanceOf(
      IntegrityAlertError,
    );
    await expect(applyNotification(deps, { ...event, payOrdId: 'ORD-SOMEONE-ELSE' })).rejects.toBeInstanceOf(
      IntegrityAlertError,
    );
    await expect(applyNotification(deps, { ...event, totalFen: fen(15_001) })).rejects.toBeInstanceOf(
      IntegrityAlertError,
    );
    expect((await loadPayment(deps.ledger, payment.paymentId)).value.status).toBe('PENDING');
    expect(await deps.ledger.getTransaction(`payment:${payment.paymentId}:captured`)).toBeUndefined();
    // The self-pay trade's own notification must match the self-pay part, and never pays the payment.
    await expect(
      applyNotification(deps, {
        kind: 'payment.succeeded',
        channel: 'wechatpay',
        notificationId: `c-${payment.paymentId}`,
        outTradeNo: payment.outTradeNo,
        providerTradeNo: '4200000000000000000000000001',
        amountFen: payment.amountFen,
        currency: 'CNY',
        payerId: openid,
        paidAt: new Date(),
      }),
    ).rejects.toBeInstanceOf(IntegrityAlertError);
    expect(await applyNotification(deps, event)).toBe('applied');
    expect((await loadPayment(deps.ledger, payment.paymentId)).value).toMatchObject({
      status: 'PAID',
      insurance: { status: 'SETTLED' },
    });
    expect(platformOrderOf(ins.medOrgOrd)?.status).toBe('UPLOADED'); // the wallet was never paid here
  });

  it('a mixed order that fails after the password: upload revoked, the cash taken anyway refunded, payment CLOSED', async () => {
    const { payment } = await insured(`failed-${Date.now()}`);
    const ins = payment.insurance;
    if (!ins) throw new Error('not insured');
    expect(env.sandbox.medical.failMixed(payment.outTradeNo, true)).toBe(true);
    const state = await env.medicalOrders.wechatpay.query(payment.outTradeNo);
    expect(state).toMatchObject({ status: 'FAILED', cashTaken: true });
    const after = await settleInsured(deps, await loadPayment(deps.ledger, payment.paymentId), state);
    expect(after).toMatchObject({
      status: 'CLOSED',
      insurance: { status: 'REVOKED', selfPayStatus: 'REFUNDED' },
    });
    expect(platformOrderOf(ins.medOrgOrd)?.status).toBe('REVOKED');
    const cash = env.sandbox.orders.get(`wechatpay:${payment.outTradeNo}`);
    expect(cash?.refundedFen).toBe(ins.split.selfPayFen);
    expect(await deps.ledger.getTransaction(`payment:${payment.paymentId}:captured`)).toBeUndefined();
  });
});
