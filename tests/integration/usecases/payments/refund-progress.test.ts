/**
 * Refund progress (#24) through the use cases against DynamoDB Local and the sandbox over real HTTP with
 * real signatures: where the money goes as WeChat reports it (user_received_account), the promise by its
 * published timing (查询单笔退款: balance within 5 minutes, a bank card within 1–3 working days), REFUND.ABNORMAL
 * and staff's apply-abnormal-refund with the card encrypted for WeChat (only its last four digits kept), and
 * a refund past its promise on finance's to-do list and in the RefundsOverdue count. Alipay's destination
 * from refund_detail_item_list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../../lib/domain/money';
import type { Channel } from '../../../../lib/domain/ledger/accounts';
import { addWorkingDays } from '../../../../lib/domain/refund-progress';
import { createPayment } from '../../../../lib/usecases/payments/create';
import { refundPayment } from '../../../../lib/usecases/payments/refund';
import { loadRefund } from '../../../../lib/usecases/payments/records';
import { rerouteRefund } from '../../../../lib/usecases/payments/reroute-refund';
import { countOverdueRefunds, overdueRefunds } from '../../../../lib/usecases/payments/overdue-refunds';
import { refundView } from '../../../../lib/usecases/views';
import { recorded } from '../../../support/metrics';
import { visitEnv } from '../../../support/visit-env';

type Env = Awaited<ReturnType<typeof visitEnv>>;

describe('refund progress', () => {
  let t: Env;
  beforeAll(async () => {
    t = await visitEnv();
  });
  afterAll(() => t.close());

  const sandbox = async (path: string, body: object) => {
    const res = await fetch(`${t.env.sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  let n = 0;
  /** A payment of `amountFen` paid in the sandbox wallet. */
  async function paid(channel: Channel, amountFen = 10_000) {
    const payer = channel === 'alipay' ? '2088000000003333' : `o-refund-${n}`;
    const { payment } = await createPayment(t.deps, {
      patientId: `PR${Date.now()}${n++}`,
      channel,
      purpose: 'examination',
      referenceId: `EX${n}`,
      amountFen: fen(amountFen),
      description: '检查费',
      mode: 'mini-program',
      payer: channel === 'alipay' ? { alipayUserId: payer } : { wechatOpenId: payer },
    });
    expect((await sandbox('/sandbox/pay', { channel, outTradeNo: payment.outTradeNo, payer })).status).toBe(
      200,
    );
    return payment;
  }
  const refund = async (channel: Channel) =>
    refundPayment(t.deps, {
      paymentId: (await paid(channel)).paymentId,
      amountFen: fen(4_000),
      reason: '停诊退费',
    });
  /** Waits until the refund leaves `status` (WeChat settles about 200 ms after it is asked). */
  async function until(
    refundId: string,
    done: (r: Awaited<ReturnType<typeof loadRefund>>['value']) => boolean,
  ) {
    for (let i = 0; i < 50; i++) {
      const r = (await loadRefund(t.deps.ledger, refundId)).value;
      if (done(r)) return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return (await loadRefund(t.deps.ledger, refundId)).value;
  }

  it('to a bank card: accepted with the card WeChat names and 3 working days, then arrived', async () => {
    await sandbox('/sandbox/settings', {
      wechatRefund: { account: '招商银行信用卡0403', outcome: 'SUCCESS' },
    });
    const r = await refund('wechatpay');
    const accepted = r.steps?.find((s) => s.step === 'ACCEPTED');
    expect(r.steps?.map((s) => s.step)).toEqual(['REQUESTED', 'ACCEPTED']);
    expect(r.destination).toEqual({ kind: 'BANK_CARD', account: '招商银行信用卡0403' });
    expect(r.expectedBy).toBe(addWorkingDays(new Date(accepted?.at ?? ''), 3, []).toISOString());
    expect(refundView(r).progress).toMatchObject({ state: 'PROCESSING', nextStep: 'WAIT' });
    expect(refundView(r).progress.message).toContain('招商银行信用卡0403');
    const done = await until(r.refundId, (x) => x.status !== 'PROCESSING');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.steps?.map((s) => s.step)).toEqual(['REQUESTED', 'ACCEPTED', 'SUCCEEDED']);
    expect(refundView(done).progress).toMatchObject({ state: 'SUCCEEDED', nextStep: 'NONE' });
    expect(refundView(done).progress.expectedBy).toBeUndefined();
  });

  it('to the balance: promised within 5 minutes', async () => {
    await sandbox('/sandbox/settings', { wechatRefund: { account: '支付用户零钱', outcome: 'STUCK' } });
    const r = await refund('wechatpay');
    const accepted = r.steps?.find((s) => s.step === 'ACCEPTED');
    expect(r.destination).toEqual({ kind: 'BALANCE', account: '支付用户零钱' });
    expect(new Date(r.expectedBy ?? '').getTime() - new Date(accepted?.at ?? '').getTime()).toBe(5 * 60_000);
  });

  it('ABNORMAL: marked with the finance promise, re-routed by staff to a debit card (tail kept), then arrived', async () => {
    await sandbox('/sandbox/settings', {
      wechatRefund: { account: '建设银行借记卡1234', outcome: 'ABNORMAL' },
    });
    const r = await refund('wechatpay');
    const abnormal = await until(r.refundId, (x) => x.abnormal !== undefined);
    expect(abnormal.status).toBe('PROCESSING');
    expect(abnormal.steps?.map((s) => s.step)).toEqual(['REQUESTED', 'ACCEPTED', 'ABNORMAL']);
    expect(
      new Date(abnormal.expectedBy ?? '').getTime() - new Date(abnormal.abnormal?.since ?? '').getTime(),
    ).toBe(24 * 3_600_000);
    expect(refundView(abnormal).progress).toMatchObject({ state: 'ABNORMAL', nextStep: 'HOSPITAL' });
    expect(recorded(t.deps).total('RefundsAbnormal')).toBeGreaterThanOrEqual(1);

    // A re-route to the patient's card needs the bank, the card and the name.
    await expect(
      rerouteRefund(t.deps, r.refundId, { type: 'USER_BANK_CARD', requestedBy: 'finance:f1' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const rerouted = await rerouteRefund(t.deps, r.refundId, {
      type: 'USER_BANK_CARD',
      bankType: 'ICBC_DEBIT',
      bankAccount: '6222020200112345678',
      realName: '张三',
      requestedBy: 'finance:f1',
    });
    expect(rerouted.abnormal?.reroute).toMatchObject({
      type: 'USER_BANK_CARD',
      by: 'finance:f1',
      bankType: 'ICBC_DEBIT',
      accountTail: '5678',
    });
    // Nothing of the card but its last four digits, and not the name, is kept.
    expect(JSON.stringify(rerouted)).not.toContain('6222020200112345678');
    expect(JSON.stringify(rerouted)).not.toContain('张三');
    expect(rerouted.destination).toEqual({ kind: 'BANK_CARD', account: '工商银行借记卡5678' });
    expect(refundView(rerouted).progress).toMatchObject({ state: 'REROUTED', nextStep: 'WAIT' });
    const done = await until(r.refundId, (x) => x.status !== 'PROCESSING');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.steps?.map((s) => s.step)).toEqual([
      'REQUESTED',
      'ACCEPTED',
      'ABNORMAL',
      'REROUTED',
      'SUCCEEDED',
    ]);
    // Once only, and only an ABNORMAL refund.
    await expect(
      rerouteRefund(t.deps, r.refundId, { type: 'MERCHANT_BANK_CARD', requestedBy: 'finance:f1' }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('WeChat refuses a card it cannot take: 400, the refund still waits to be re-routed', async () => {
    await sandbox('/sandbox/settings', {
      wechatRefund: { account: '建设银行借记卡1234', outcome: 'ABNORMAL' },
    });
    const r = await refund('wechatpay');
    await until(r.refundId, (x) => x.abnormal !== undefined);
    await expect(
      rerouteRefund(t.deps, r.refundId, {
        type: 'USER_BANK_CARD',
        bankType: 'ICBC_DEBIT',
        bankAccount: '12345',
        realName: '张三',
        requestedBy: 'finance:f1',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const still = (await loadRefund(t.deps.ledger, r.refundId)).value;
    expect(still.abnormal?.reroute).toBeUndefined();
    // To the hospital's account instead: finance pays the patient out.
    await rerouteRefund(t.deps, r.refundId, { type: 'MERCHANT_BANK_CARD', requestedBy: 'staff:s1' });
    const done = await until(r.refundId, (x) => x.status !== 'PROCESSING');
    expect(done.destination).toEqual({ kind: 'MERCHANT', account: '商户结算银行账户' });
    expect(refundView(done).progress).toMatchObject({ state: 'SUCCEEDED', nextStep: 'HOSPITAL' });
  });

  it('past its promise: on the to-do list and counted for the alarm; a refund still in time is not', async () => {
    await sandbox('/sandbox/settings', { wechatRefund: { account: '招商银行信用卡0403', outcome: 'STUCK' } });
    const stuck = await refund('wechatpay');
    const inTime = (await overdueRefunds(t.deps)).map((o) => o.refund.refundId);
    expect(inTime).not.toContain(stuck.refundId);
    // Ten days on: three working days have passed whatever the weekday.
    const later = { ...t.deps, clock: { now: () => new Date(Date.now() + 10 * 86_400_000) } };
    const overdue = await overdueRefunds(later);
    expect(overdue.map((o) => o.refund.refundId)).toContain(stuck.refundId);
    expect(overdue.find((o) => o.refund.refundId === stuck.refundId)?.expectedBy).toBe(stuck.expectedBy);
    const before = recorded(t.deps).total('RefundsOverdue');
    expect(await countOverdueRefunds(later)).toBeGreaterThanOrEqual(1);
    expect(recorded(t.deps).total('RefundsOverdue')).toBeGreaterThan(before);
  });

  it('Alipay: the destination from refund_detail_item_list; no promise is published for a card', async () => {
    await sandbox('/sandbox/settings', { alipayRefund: { fundChannel: 'BANKCARD', fundType: 'DEBIT_CARD' } });
    const card = await refund('alipay');
    expect(card).toMatchObject({
      status: 'SUCCEEDED',
      destination: { kind: 'BANK_CARD', account: '银行卡（借记卡）' },
    });
    await sandbox('/sandbox/settings', { alipayRefund: { fundChannel: 'ALIPAYACCOUNT' } });
    const balance = await refund('alipay');
    expect(balance.destination).toEqual({ kind: 'BALANCE', account: '支付宝余额' });
    expect(refundView(balance).progress).toMatchObject({ state: 'SUCCEEDED', nextStep: 'NONE' });
  });
});
