/**
 * Refund progress over the local stack (#24): a refund to a bank card shows its steps, where the money goes
 * and when it should arrive, then arrives; an ABNORMAL refund is re-routed by staff to the patient's debit
 * card and then succeeds; one left ABNORMAL past the finance promise (1 minute here) appears on finance's
 * to-do list and in the sweep's RefundsOverdue count, which the alarm reads. The HIS receives each step.
 * And a settled payment's fiscal e-receipt, reversed and reissued by a partial refund.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payerFor, stackClient, startLocalStack, type LocalStack } from '../support/local-stack';
import { startHisEndpoint } from '../support/his-endpoint';

type Json = Record<string, any>;

describe('refund progress over the local stack', () => {
  let local: LocalStack;
  let client: ReturnType<typeof stackClient>;
  let his: Awaited<ReturnType<typeof startHisEndpoint>>;
  beforeAll(async () => {
    his = await startHisEndpoint();
    local = await startLocalStack({ env: { MEDPAY_REFUND_FINANCE_MINUTES: '1' } });
    client = stackClient(local);
    const registered = await client.api('POST', '/notification-endpoints', local.stack.tokens.admin, {
      url: his.url,
      events: ['RefundProgressed', 'RefundSucceeded'],
      description: 'refund desk',
    });
    expect(registered.status).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await local?.stop();
    await his?.close();
  });

  const staff = () => local.stack.tokens.staff;
  /** A paid WeChat payment of the patient's, refunded 40.00 by them; the refund as answered. */
  async function refunded(patient: { token: string }, outcome: string, account: string) {
    await client.sandbox('/sandbox/settings', { wechatRefund: { account, outcome } });
    const payment = await client.api('POST', '/payments', patient.token, {
      channel: 'wechatpay',
      purpose: 'examination',
      referenceId: `EX-${Date.now()}`,
      amountFen: 10_000,
      description: '检查费',
      payer: payerFor('wechatpay'),
    });
    await client.sandbox('/sandbox/pay', { channel: 'wechatpay', outTradeNo: payment.body.outTradeNo });
    const refund = await client.api('POST', `/payments/${payment.body.paymentId}/refunds`, patient.token, {
      amountFen: 4_000,
      reason: '停诊退费',
    });
    expect(refund.status).toBe(201);
    return refund.body;
  }
  /** Polls the refund until `done`. */
  async function until(refundId: string, token: string, done: (r: Json) => boolean): Promise<Json> {
    for (let i = 0; i < 120; i++) {
      const r = (await client.api('GET', `/refunds/${refundId}`, token)).body;
      if (done(r)) return r;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return (await client.api('GET', `/refunds/${refundId}`, token)).body;
  }
  /** Waits until the HIS received `type` for the refund with `step` (if given). */
  async function callback(type: string, refundId: string, step?: string): Promise<Json> {
    for (let i = 0; i < 240; i++) {
      const found = his.received.find(
        (r) => r.type === type && r.data.refundId === refundId && (!step || r.data.step === step),
      );
      if (found) return found.data;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${type} ${step ?? ''} for ${refundId} not received`);
  }

  it('a bank card, an ABNORMAL refund re-routed by staff, and one overdue on the to-do list and in the alarm count', async () => {
    const patient = await client.patient();
    // Left ABNORMAL: its 1-minute finance promise runs while the rest happens.
    const left = await refunded(patient, 'ABNORMAL', '建设银行借记卡1234');

    // To a bank card: accepted, the card WeChat names, three working days at most; then arrived.
    const card = await refunded(patient, 'SUCCESS', '招商银行信用卡0403');
    expect(card.progress).toMatchObject({
      state: 'PROCESSING',
      steps: [{ step: 'REQUESTED' }, { step: 'ACCEPTED' }],
      destination: { kind: 'BANK_CARD', account: '招商银行信用卡0403' },
      nextStep: 'WAIT',
    });
    const promised =
      new Date(card.progress.expectedBy).getTime() - new Date(card.progress.steps[1].at).getTime();
    expect(promised).toBeGreaterThanOrEqual(3 * 86_400_000); // three working days: at least three days
    expect(promised).toBeLessThanOrEqual(5 * 86_400_000);
    const arrived = await until(card.refundId, patient.token, (r) => r.status !== 'PROCESSING');
    expect(arrived.progress).toMatchObject({ state: 'SUCCEEDED', nextStep: 'NONE' });
    expect(arrived.progress.steps.map((s: Json) => s.step)).toEqual(['REQUESTED', 'ACCEPTED', 'SUCCEEDED']);
    expect(await callback('RefundProgressed', card.refundId, 'ACCEPTED')).toMatchObject({
      destination: { kind: 'BANK_CARD' },
      expectedBy: card.progress.expectedBy,
    });
    expect(await callback('RefundSucceeded', card.refundId)).toMatchObject({
      destination: { account: '招商银行信用卡0403' },
    });

    // ABNORMAL: the card was cancelled; staff send it to the patient's ICBC debit card.
    const abnormal = await refunded(patient, 'ABNORMAL', '建设银行借记卡1234');
    const waiting = await until(abnormal.refundId, patient.token, (r) => r.progress.state === 'ABNORMAL');
    expect(waiting.progress.nextStep).toBe('HOSPITAL');
    expect(waiting.progress.message).toContain('财务');
    const refused = await client.api('POST', `/refunds/${abnormal.refundId}/reroute`, patient.token, {
      type: 'MERCHANT_BANK_CARD',
    });
    expect(refused.status).toBe(403);
    const rerouted = await client.api('POST', `/refunds/${abnormal.refundId}/reroute`, staff(), {
      type: 'USER_BANK_CARD',
      bankType: 'ICBC_DEBIT',
      bankAccount: '6222020200112345678',
      realName: '张三',
    });
    expect(rerouted).toMatchObject({
      status: 200,
      body: { progress: { state: 'REROUTED', reroute: { type: 'USER_BANK_CARD', accountTail: '5678' } } },
    });
    expect(JSON.stringify(rerouted.body)).not.toContain('6222020200112345678');
    const done = await until(abnormal.refundId, patient.token, (r) => r.status !== 'PROCESSING');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.progress.steps.map((s: Json) => s.step)).toEqual([
      'REQUESTED',
      'ACCEPTED',
      'ABNORMAL',
      'REROUTED',
      'SUCCEEDED',
    ]);
    expect(done.progress.destination).toEqual({ kind: 'BANK_CARD', account: '工商银行借记卡5678' });
    await callback('RefundProgressed', abnormal.refundId, 'REROUTED');
    // Again: nothing to re-route.
    const again = await client.api('POST', `/refunds/${abnormal.refundId}/reroute`, staff(), {
      type: 'MERCHANT_BANK_CARD',
    });
    expect(again.status).toBe(409);

    // The one left ABNORMAL passes its promise: on the to-do list, and counted for the alarm.
    const overdueBy = (await until(left.refundId, staff(), (r) => r.progress.state === 'ABNORMAL')).progress
      .expectedBy as string;
    const wait = new Date(overdueBy).getTime() - Date.now() + 1_000;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const list = await client.api('GET', '/overdue-refunds', local.stack.tokens.finance);
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: Json) => r.refundId)).toContain(left.refundId);
    expect(list.body.items.map((r: Json) => r.refundId)).not.toContain(card.refundId);
    const sweep = await fetch(
      `${local.stack.lambdaUrl}/2015-03-31/functions/medpay-local-sweepPayments/invocations`,
      {
        method: 'POST',
        body: JSON.stringify({ olderThanMinutes: 60 }),
      },
    );
    expect(sweep.status).toBe(200);
    expect(JSON.stringify(await sweep.json())).toMatch(/"overdueRefunds":[1-9]/);
  }, 240_000);

  it('a settled payment gets its fiscal e-receipt; a partial refund reverses it and reissues it for the rest', async () => {
    const patient = await client.patient();
    await client.sandbox('/sandbox/settings', {
      wechatRefund: { account: '支付用户零钱', outcome: 'SUCCESS' },
    });
    const payment = await client.api('POST', '/payments', patient.token, {
      channel: 'wechatpay',
      purpose: 'examination',
      referenceId: `EX-RC-${Date.now()}`,
      amountFen: 10_000,
      description: 'CT 检查',
      payer: payerFor('wechatpay'),
    });
    await client.sandbox('/sandbox/pay', { channel: 'wechatpay', outTradeNo: payment.body.outTradeNo });
    const id = String(payment.body.paymentId);
    /** Polls the payment until its receipt satisfies `done` (the relay hands events on every 2 s). */
    const receipt = async (done: (r: Json | undefined) => boolean) => {
      for (let i = 0; i < 120; i++) {
        const r = (await client.api('GET', `/payments/${id}`, patient.token)).body.receipt as
          Json | undefined;
        if (done(r)) return r as Json;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return (await client.api('GET', `/payments/${id}`, patient.token)).body.receipt as Json;
    };
    const issued = await receipt((r) => r?.status === 'ISSUED');
    expect(issued.bills).toHaveLength(1);
    expect(issued.bills[0]).toMatchObject({ kind: 'ISSUED', amountFen: 10_000 });
    expect(issued.bills[0].billNo).toMatch(/^\d{10}$/);
    expect((await fetch(issued.bills[0].url as string)).status).toBe(200);

    await client.api('POST', `/payments/${id}/refunds`, patient.token, { amountFen: 4_000, reason: '退费' });
    const reissued = await receipt((r) => (r?.bills as Json[] | undefined)?.length === 3);
    expect(reissued.bills.map((b: Json) => [b.kind, b.amountFen])).toEqual([
      ['ISSUED', 10_000],
      ['REVERSED', 10_000],
      ['ISSUED', 6_000],
    ]);
    expect(reissued.status).toBe('ISSUED');
  }, 120_000);
});
