import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../../lib/config/container';
import type { Channel } from '../../../../lib/domain/ledger/accounts';
import { fen } from '../../../../lib/domain/money';
import { relayOutbox } from '../../../../lib/usecases/events/relay-outbox';
import { cancelCopyRequest } from '../../../../lib/usecases/copy-requests/cancel';
import { completeCopyRequest } from '../../../../lib/usecases/copy-requests/complete';
import { expireCopyRequests } from '../../../../lib/usecases/copy-requests/expire-copy-requests';
import { onPaymentSucceeded } from '../../../../lib/usecases/copy-requests/payment-succeeded';
import { payCopyRequest } from '../../../../lib/usecases/copy-requests/pay';
import { loadCopyRequest } from '../../../../lib/usecases/copy-requests/records';
import { deliverCopyRequest } from '../../../../lib/usecases/copy-requests/deliver';
import { shipCopyRequest } from '../../../../lib/usecases/copy-requests/ship';
import { submitCopyRequest } from '../../../../lib/usecases/copy-requests/submit';
import { createPayment } from '../../../../lib/usecases/payments/create';
import { loadPayment } from '../../../../lib/usecases/payments/records';
import { netOf, visitEnv } from '../../../support/visit-env';
import { businessDayOf } from '../../../../lib/domain/business-day';
import type { JournalTransaction } from '../../../../lib/domain/ledger/journal';

const payerOf = (channel: Channel) =>
  channel === 'alipay' ? { alipayUserId: '2088102122524333' } : { wechatOpenId: 'o-copy' };

describe('copy requests: submit, complete, pay through the payment capability, ship, deliver', () => {
  let t: Awaited<ReturnType<typeof visitEnv>>;
  let deps: AppDeps;
  beforeAll(async () => {
    t = await visitEnv();
    deps = t.deps;
  });
  afterAll(() => t.close());

  let n = 0;
  const submitted = (patientId = `PCR${Date.now()}${n++}`, province?: string) =>
    submitCopyRequest(deps, {
      patientId,
      admissionId: 'ADM-2026-0001',
      items: ['discharge-summary', 'lab-reports'],
      copies: 2,
      delivery: {
        recipient: '张三',
        phone: '13800000000',
        address: '广州市天河区某路 1 号',
        ...(province ? { province } : {}),
      },
    });
  /** The patient pays in the sandbox; the provider notifies; the relay delivers PaymentSucceeded. */
  async function payInSandbox(channel: Channel, outTradeNo: string) {
    await fetch(`${t.env.sandbox.url}/sandbox/pay`, {
      method: 'POST',
      body: JSON.stringify({ channel, outTradeNo }),
    });
    await relayOutbox(deps);
  }
  const journalOfPayment = async (paymentId: string) => {
    const out: JournalTransaction[] = [];
    for await (const txn of deps.ledger.journalForDay(businessDayOf(new Date())))
      if (txn.refs.paymentId === paymentId) out.push(txn);
    return out;
  };

  for (const channel of ['alipay', 'wechatpay'] as const) {
    it(`${channel}: submit → complete (fee fixed) → pay → PAID by the event → shipped → delivered`, async () => {
      const request = await submitted();
      expect(request.status).toBe('SUBMITTED');
      const done = await completeCopyRequest(deps, request.copyRequestId, 42);
      // 42 pages × ¥0.50, the second copy at full price, + ¥15 courier.
      expect(done).toMatchObject({
        status: 'AWAITING_PAYMENT',
        fee: { pages: 42, copies: 2, pagesFen: 4_200, courierFen: 1_500, totalFen: 5_700 },
      });
      expect(new Date(done.payBy as string).getTime() - new Date(done.completedAt as string).getTime()).toBe(
        7 * 86_400_000,
      );
      expect(await completeCopyRequest(deps, request.copyRequestId, 42)).toEqual(done); // same result
      await expect(completeCopyRequest(deps, request.copyRequestId, 43)).rejects.toMatchObject({
        code: 'INVALID_STATE',
      });
      await expect(
        shipCopyRequest(deps, request.copyRequestId, { carrier: 'SF', trackingNo: 'SF1234567890' }),
      ).rejects.toMatchObject({
        code: 'INVALID_STATE',
      });

      const { payment } = await payCopyRequest(deps, request.copyRequestId, request.patientId, {
        channel,
        payer: payerOf(channel),
      });
      expect(payment).toMatchObject({
        purpose: 'copy-fee',
        referenceId: request.copyRequestId,
        amountFen: 5_700,
      });
      await payInSandbox(channel, payment.outTradeNo);
      const paid = (await loadCopyRequest(deps.ledger, request.copyRequestId)).value;
      expect(paid).toMatchObject({ status: 'PAID', paymentId: payment.paymentId });
      // A redelivered event changes nothing.
      expect(
        await onPaymentSucceeded(deps, {
          paymentId: payment.paymentId,
          purpose: 'copy-fee',
          referenceId: request.copyRequestId,
        }),
      ).toBe('already-paid');
      const journal = await journalOfPayment(payment.paymentId);
      expect(netOf(journal, 'revenue:copy-fee')).toBe(-4_200);
      expect(netOf(journal, 'revenue:courier')).toBe(-1_500);
      expect(netOf(journal, `channel:${channel}:clearing`)).toBe(5_700);

      const shipped = await shipCopyRequest(deps, request.copyRequestId, {
        carrier: 'SF',
        trackingNo: 'SF1234567890',
      });
      expect(shipped.status).toBe('SHIPPED');
      await expect(
        cancelCopyRequest(deps, request.copyRequestId, request.patientId, 'x'),
      ).rejects.toMatchObject({ code: 'INVALID_STATE' });
      expect((await deliverCopyRequest(deps, request.copyRequestId, 'courier:courier')).status).toBe(
        'DELIVERED',
      );
      expect((await deliverCopyRequest(deps, request.copyRequestId, 'staff:S1')).status).toBe('DELIVERED');
    });
  }

  it('cancel after payment refunds the fee in full and reverses both revenue accounts', async () => {
    const request = await submitted(undefined, '新疆维吾尔自治区');
    await completeCopyRequest(deps, request.copyRequestId, 10);
    const { payment } = await payCopyRequest(deps, request.copyRequestId, request.patientId, {
      channel: 'alipay',
      payer: payerOf('alipay'),
    });
    await payInSandbox('alipay', payment.outTradeNo);
    const cancelled = await cancelCopyRequest(deps, request.copyRequestId, request.patientId, '不需要了');
    expect(cancelled).toMatchObject({ status: 'CANCELLED', refundId: expect.any(String) as string });
    expect((await loadPayment(deps.ledger, payment.paymentId)).value).toMatchObject({
      status: 'REFUNDED',
      refundedFen: payment.amountFen,
    });
    // Cancelling again does not refund twice.
    expect((await cancelCopyRequest(deps, request.copyRequestId, request.patientId, 'again')).refundId).toBe(
      cancelled.refundId,
    );
    const journal: JournalTransaction[] = [];
    for await (const txn of deps.ledger.journalForDay(businessDayOf(new Date())))
      if (txn.refs.paymentId === payment.paymentId) journal.push(txn);
    expect(netOf(journal, 'revenue:copy-fee')).toBe(0);
    expect(netOf(journal, 'revenue:courier')).toBe(0);
    expect(netOf(journal, 'channel:alipay:clearing')).toBe(0);
  });

  it('expires unpaid requests after payBy; an expired or cancelled request cannot be paid (409)', async () => {
    const request = await submitted();
    await completeCopyRequest(deps, request.copyRequestId, 5);
    const { payment } = await payCopyRequest(deps, request.copyRequestId, request.patientId, {
      channel: 'wechatpay',
      payer: payerOf('wechatpay'),
    });
    const later = { ...deps, clock: { now: () => new Date(Date.now() + 8 * 86_400_000) } };
    expect((await expireCopyRequests(later)).expired).toBeGreaterThanOrEqual(1);
    expect((await loadCopyRequest(deps.ledger, request.copyRequestId)).value.status).toBe('EXPIRED');
    expect((await loadPayment(deps.ledger, payment.paymentId)).value.status).toBe('CLOSED');
    await expect(
      payCopyRequest(deps, request.copyRequestId, request.patientId, {
        channel: 'wechatpay',
        payer: payerOf('wechatpay'),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });

    const other = await submitted();
    await cancelCopyRequest(deps, other.copyRequestId, other.patientId, 'changed my mind');
    await expect(
      payCopyRequest(deps, other.copyRequestId, other.patientId, {
        channel: 'wechatpay',
        payer: payerOf('wechatpay'),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it("another patient's request is NOT_FOUND; a copy fee cannot be paid with an amount of the client's choosing", async () => {
    const request = await submitted();
    await completeCopyRequest(deps, request.copyRequestId, 8);
    await expect(loadCopyRequest(deps.ledger, request.copyRequestId, 'someone-else')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      payCopyRequest(deps, request.copyRequestId, 'someone-else', {
        channel: 'alipay',
        payer: payerOf('alipay'),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // POST /payments with purpose copy-fee (any amount) is refused: the fee is only paid through the request.
    await expect(
      createPayment(deps, {
        patientId: request.patientId,
        channel: 'alipay',
        purpose: 'copy-fee',
        referenceId: request.copyRequestId,
        amountFen: fen(1),
        description: 'cheap copies',
        payer: payerOf('alipay'),
        mode: 'mini-program',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('money that arrives for a request that expired meanwhile is refunded in full', async () => {
    const request = await submitted();
    await completeCopyRequest(deps, request.copyRequestId, 3);
    const { payment } = await payCopyRequest(deps, request.copyRequestId, request.patientId, {
      channel: 'alipay',
      payer: payerOf('alipay'),
    });
    // The patient pays at the provider just as the request expires (the close arrives too late).
    await fetch(`${t.env.sandbox.url}/sandbox/pay`, {
      method: 'POST',
      body: JSON.stringify({ channel: 'alipay', outTradeNo: payment.outTradeNo }),
    });
    const current = await loadCopyRequest(deps.ledger, request.copyRequestId);
    await deps.ledger.commit({
      entities: [
        {
          type: 'copyrequest',
          id: request.copyRequestId,
          state: { ...current.value, status: 'EXPIRED' },
          expect: { kind: 'version', version: current.version },
        },
      ],
    });
    await relayOutbox(deps);
    expect((await loadPayment(deps.ledger, payment.paymentId)).value.status).toBe('REFUNDED');
    expect((await loadCopyRequest(deps.ledger, request.copyRequestId)).value.status).toBe('EXPIRED');
  });
});
