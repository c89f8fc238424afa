import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payerFor, stackClient, startLocalStack, type LocalStack, type Stack } from '../support/local-stack';

describe('copy requests over the local stack (API, sandbox providers, outbox relay, DynamoDB Local)', () => {
  let local: LocalStack;
  let stack: Stack;
  let client: ReturnType<typeof stackClient>;
  let courierSecret: string;
  beforeAll(async () => {
    local = await startLocalStack();
    stack = local.stack;
    client = stackClient(local);
    courierSecret = readFileSync(join(local.localDir, 'courier-callback-secret'), 'utf8').trim();
  }, 180_000);
  afterAll(() => local?.stop());

  const api = (
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => client.api(method, path, token, body, headers);
  const patient = () => client.patient();
  const submit = (token: string) =>
    api('POST', '/copy-requests', token, {
      admissionId: 'ADM-0042',
      items: ['discharge-summary', 'lab-reports'],
      copies: 1,
      delivery: {
        recipient: '李四',
        phone: '13900000000',
        address: '乌鲁木齐市某路 2 号',
        province: '新疆维吾尔自治区',
      },
    });
  /** Polls until the request reaches `status` (PaymentSucceeded is relayed within seconds). */
  const until = async (id: string, token: string, status: string) => {
    let r = await api('GET', `/copy-requests/${id}`, token);
    for (let i = 0; i < 100 && r.body.status !== status; i++) {
      await new Promise((res) => setTimeout(res, 200));
      r = await api('GET', `/copy-requests/${id}`, token);
    }
    return r;
  };

  describe.each(['alipay', 'wechatpay'] as const)('%s', (channel) => {
    it('submit → completion → pay in the sandbox → PAID (by the event) → shipped → delivered by the courier', async () => {
      const { token } = await patient();
      const staff = stack.tokens.staff;
      const created = await submit(token);
      expect(created).toMatchObject({ status: 201, body: { status: 'SUBMITTED' } });
      const id = created.body.copyRequestId as string;

      expect((await api('POST', `/copy-requests/${id}/completion`, staff, { pages: 0 })).status).toBe(400);
      expect((await api('POST', `/copy-requests/${id}/completion`, staff, { pages: 2.5 })).status).toBe(400);
      const done = await api('POST', `/copy-requests/${id}/completion`, staff, { pages: 42 });
      expect(done).toMatchObject({
        status: 200,
        body: { status: 'AWAITING_PAYMENT', fee: { pagesFen: 2_100, courierFen: 1_500, totalFen: 3_600 } },
      });
      expect(
        (await api('POST', `/copy-requests/${id}/completion`, staff, { pages: 42 })).body.fee.totalFen,
      ).toBe(3_600);
      expect((await api('POST', `/copy-requests/${id}/completion`, staff, { pages: 40 })).status).toBe(409);
      expect(
        (
          await api('POST', `/copy-requests/${id}/shipment`, staff, {
            carrier: 'SF',
            trackingNo: 'SF1000000001',
          })
        ).status,
      ).toBe(409);
      // The amount is not the client's to choose.
      const withAmount = await api('POST', `/copy-requests/${id}/payments`, token, {
        channel,
        payer: payerFor(channel),
        amountFen: 1,
      });
      expect(withAmount.status).toBe(400);
      const viaPayments = await api('POST', '/payments', token, {
        channel,
        purpose: 'copy-fee',
        referenceId: id,
        amountFen: 1,
        description: 'x',
        payer: payerFor(channel),
      });
      expect(viaPayments).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
      expect((await api('GET', `/copy-requests/${id}`, (await patient()).token)).status).toBe(404);

      const pay = await api('POST', `/copy-requests/${id}/payments`, token, {
        channel,
        payer: payerFor(channel),
      });
      expect(pay).toMatchObject({ status: 201, body: { status: 'PENDING', amountFen: 3_600 } });
      const sandboxPay = await fetch(`${stack.sandboxUrl}/sandbox/pay`, {
        method: 'POST',
        body: JSON.stringify({ channel, outTradeNo: pay.body.outTradeNo }),
      });
      expect(sandboxPay.status).toBe(200);
      const paid = await until(id, token, 'PAID');
      expect(paid.body).toMatchObject({
        status: 'PAID',
        payment: { paymentId: pay.body.paymentId, status: 'PAID', amountFen: 3_600 },
      });

      const shipped = await api('POST', `/copy-requests/${id}/shipment`, staff, {
        carrier: 'SF',
        trackingNo: 'SF1000000001',
      });
      expect(shipped).toMatchObject({
        status: 200,
        body: { status: 'SHIPPED', shipment: { carrier: 'SF', trackingNo: 'SF1000000001' } },
      });

      // The courier's callback: signed with the shared secret, no token. A wrong signature is 401.
      const body = JSON.stringify({ signedBy: '李四' });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHmac('sha256', courierSecret).update(`${timestamp}\n${body}`).digest('hex');
      const forged = await api('POST', `/copy-requests/${id}/delivery`, null, body, {
        'x-courier-timestamp': timestamp,
        'x-courier-signature': signature.replace(/^./, signature.startsWith('0') ? '1' : '0'),
      });
      expect(forged.status).toBe(401);
      const delivered = await api('POST', `/copy-requests/${id}/delivery`, null, body, {
        'x-courier-timestamp': timestamp,
        'x-courier-signature': signature,
      });
      expect(delivered).toMatchObject({ status: 200, body: { status: 'DELIVERED' } });
    });
  });

  it('cancel after payment refunds the fee in full', async () => {
    const { token } = await patient();
    const id = (await submit(token)).body.copyRequestId as string;
    await api('POST', `/copy-requests/${id}/completion`, stack.tokens.staff, { pages: 10 });
    const pay = await api('POST', `/copy-requests/${id}/payments`, token, {
      channel: 'alipay',
      payer: payerFor('alipay'),
    });
    await fetch(`${stack.sandboxUrl}/sandbox/pay`, {
      method: 'POST',
      body: JSON.stringify({ channel: 'alipay', outTradeNo: pay.body.outTradeNo }),
    });
    await until(id, token, 'PAID');
    const cancelled = await api('POST', `/copy-requests/${id}/cancel`, token, { reason: '已在当地复印' });
    expect(cancelled).toMatchObject({
      status: 200,
      body: { status: 'CANCELLED', refundId: expect.any(String) },
    });
    const payment = await api('GET', `/payments/${pay.body.paymentId}`, token);
    expect(payment.body).toMatchObject({ status: 'REFUNDED', refundedFen: 2_000 });
  });
});
