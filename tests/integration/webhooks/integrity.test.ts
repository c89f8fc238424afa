/**
 * Authentic notifications that contradict medpay's record (amount, currency, order pairing, trade number,
 * payer, payment time, refund amount and status), on PENDING and on final records, for both channels,
 * through the real webhook handlers on DynamoDB Local: none is acknowledged, none changes state, each is
 * logged as an integrity alert with both values and counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../../lib/domain/ledger/accounts';
import type { Fen } from '../../../lib/domain/money';
import { loadPayment, loadRefund } from '../../../lib/usecases/payments/records';
import { refundPayment } from '../../../lib/usecases/payments/refund';
import { webhookHarness, type Raw } from '../../support/webhooks';

describe.each(['alipay', 'wechatpay'] as const)('integrity alerts (%s)', (channel: Channel) => {
  let h: Awaited<ReturnType<typeof webhookHarness>>;
  beforeAll(async () => {
    h = await webhookHarness();
  });
  afterAll(() => h.close());

  /** Delivers a contradiction: refused, logged as an integrity alert naming the field, and counted. */
  async function refused(raw: Raw, field: string) {
    const alertsBefore = h.alerts.mock.calls.length;
    const countedBefore = h.counted.length;
    const res = await h.deliver(channel, raw);
    expect(res.acknowledged).toBe(false);
    expect(res.statusCode).toBe(409);
    const logged = h.alerts.mock.calls.slice(alertsBefore);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.[0]).toBe('integrity alert');
    const detail = logged[0]?.[1] as {
      mismatches: Array<{ field: string; recorded: unknown; reported: unknown }>;
    };
    expect(detail.mismatches.map((m) => m.field)).toContain(field);
    for (const m of detail.mismatches) expect(m.recorded).not.toEqual(m.reported);
    expect(h.counted.slice(countedBefore)).toEqual([
      { name: 'IntegrityAlerts', value: 1, dimensions: { channel } },
    ]);
  }

  it('contradictions on a PENDING and then a PAID payment change nothing', async () => {
    const p = await h.pendingPayment(channel, 2500, `INT-${channel}-1`);
    const other = await h.pendingPayment(channel, 4000, `INT-${channel}-2`);
    await refused(h.paidNotification(channel, p, { amountFen: 2400 }), 'amountFen');
    await refused(h.paidNotification(channel, p, { currency: 'USD' }), 'currency');
    await refused(h.paidNotification(channel, other, { amountFen: 2500 }), 'amountFen'); // p's amount on another order
    await refused(
      h.paidNotification(channel, p, { payerId: channel === 'alipay' ? '2088000000000009' : 'oOther' }),
      'payerId',
    );
    expect((await loadPayment(h.deps.ledger, p.paymentId)).value.status).toBe('PENDING');
    expect((await loadPayment(h.deps.ledger, other.paymentId)).value.status).toBe('PENDING');
    expect(await h.deps.ledger.getTransaction(`payment:${p.paymentId}:captured`)).toBeUndefined();

    expect((await h.deliver(channel, h.paidNotification(channel, p))).acknowledged).toBe(true);
    expect((await h.deliver(channel, h.paidNotification(channel, p))).acknowledged).toBe(true); // a true duplicate
    const paid = (await loadPayment(h.deps.ledger, p.paymentId)).value;
    expect(paid.status).toBe('PAID');

    await refused(h.paidNotification(channel, p, { amountFen: 2600 }), 'amountFen');
    await refused(h.paidNotification(channel, p, { currency: 'USD' }), 'currency');
    await refused(
      h.paidNotification(channel, p, {
        tradeNo: channel === 'alipay' ? '2026112322001400000000000999' : '4200000000202611230000000999',
      }),
      'providerTradeNo',
    );
    await refused(h.paidNotification(channel, p, { paidAt: '2026-11-23 10:05:00' }), 'paidAt');
    if (channel === 'alipay')
      await refused(h.paidNotification(channel, p, { status: 'TRADE_CLOSED' }), 'status');
    expect((await loadPayment(h.deps.ledger, p.paymentId)).value).toEqual(paid);
    expect((await h.deps.ledger.getTransaction(`payment:${p.paymentId}:captured`))?.postings).toHaveLength(4);
  });

  it('contradicting refund notifications leave the refund as recorded', async () => {
    const p = await h.pendingPayment(channel, 3000, `INT-${channel}-3`);
    const other = await h.pendingPayment(channel, 5000, `INT-${channel}-4`);
    for (const x of [p, other]) expect((await h.payAtProvider(channel, x)).acknowledged).toBe(true);
    const paid = (await loadPayment(h.deps.ledger, p.paymentId)).value;
    const otherPaid = (await loadPayment(h.deps.ledger, other.paymentId)).value;
    const refund = await refundPayment(h.deps, {
      paymentId: p.paymentId,
      amountFen: 1000 as Fen,
      reason: '退号',
    });

    if (channel === 'wechatpay') {
      expect(refund.status).toBe('PROCESSING'); // WeChat answers PROCESSING; its notification goes nowhere here
      // WeChat's refund number is kept from its first answer: the notification must name the same one.
      expect(refund.providerRefundId).toBeDefined();
      const r = { outRefundNo: refund.outRefundNo, amountFen: 1000, refundId: refund.providerRefundId };
      await refused(h.wechatRefundNotification(paid, r, { amountFen: 1100 }), 'amountFen');
      await refused(h.wechatRefundNotification(paid, r, { outTradeNo: otherPaid.outTradeNo }), 'outTradeNo');
      await refused(h.wechatRefundNotification(paid, r, { totalFen: 9999 }), 'paymentTotalFen');
      await refused(
        h.wechatRefundNotification(paid, r, { tradeNo: otherPaid.providerTradeNo }),
        'providerTradeNo',
      );
      expect((await loadRefund(h.deps.ledger, refund.refundId)).value.status).toBe('PROCESSING');
      expect(await h.deps.ledger.getTransaction(`refund:${refund.refundId}:succeeded`)).toBeUndefined();

      expect((await h.deliver(channel, h.wechatRefundNotification(paid, r))).acknowledged).toBe(true);
      const done = (await loadRefund(h.deps.ledger, refund.refundId)).value;
      expect(done.status).toBe('SUCCEEDED');
      await refused(h.wechatRefundNotification(paid, r, { amountFen: 900 }), 'amountFen');
      await refused(
        h.wechatRefundNotification(paid, { ...r, refundId: '50300000012026112300000000999' }),
        'providerRefundId',
      );
      await refused(h.wechatRefundNotification(paid, r, { status: 'CLOSED' }), 'status');
      expect((await loadRefund(h.deps.ledger, refund.refundId)).value).toEqual(done);
    } else {
      expect(refund.status).toBe('SUCCEEDED'); // Alipay refunds synchronously
      await refused(
        h.alipayRefundNotification(paid, refund.outRefundNo, {
          refundedFen: 1000,
          outTradeNo: otherPaid.outTradeNo,
        }),
        'outTradeNo',
      );
      await refused(
        h.alipayRefundNotification(paid, refund.outRefundNo, { refundedFen: 3100 }),
        'refundedTotalFen',
      );
      await refused(
        h.alipayRefundNotification(paid, refund.outRefundNo, { refundedFen: 1000, totalFen: 9999 }),
        'paymentTotalFen',
      );
      expect(
        (
          await h.deliver(
            channel,
            h.alipayRefundNotification(paid, refund.outRefundNo, { refundedFen: 1000 }),
          )
        ).acknowledged,
      ).toBe(true);
    }
    const after = (await loadPayment(h.deps.ledger, p.paymentId)).value;
    expect(after).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedFen: 1000, refundingFen: 0 });
    expect((await loadPayment(h.deps.ledger, other.paymentId)).value).toEqual(otherPaid);
  });
});
