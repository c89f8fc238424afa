import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../lib/domain/money';
import type { PaymentProvider, ProviderEvent } from '../../../lib/ports/payment-provider';
import { notificationReceiver, sandboxWithProviders } from '../../support/sandbox';

describe.each(['alipay', 'wechatpay'] as const)(
  '%s adapter against the sandbox (real HTTP, RSA and AES-GCM)',
  (channel) => {
    let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
    let receiver: Awaited<ReturnType<typeof notificationReceiver>>;
    let provider: PaymentProvider;
    const events: ProviderEvent[] = [];
    const payer =
      channel === 'alipay'
        ? { alipayUserId: '2088102122524333' }
        : { wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' };
    const ack = (status = 0) => ({
      status: status || (channel === 'alipay' ? 200 : 204),
      body: channel === 'alipay' ? 'success' : '',
    });

    beforeAll(async () => {
      receiver = await notificationReceiver(async (_ch, n) => {
        try {
          events.push(await provider.verifyNotification(n));
          return ack();
        } catch {
          return {
            status: 401,
            body: channel === 'alipay' ? 'fail' : '{"code":"FAIL","message":"rejected"}',
          };
        }
      });
      env = await sandboxWithProviders(receiver.url);
      provider = env.providers[channel];
    });
    afterAll(async () => {
      await env.sandbox.close();
      await receiver.close();
    });

    const order = (outTradeNo: string, amountFen = 2500) => ({
      outTradeNo,
      amountFen: fen(amountFen),
      description: '检查费 100%',
      payer,
      expiresAt: new Date(Date.now() + 15 * 60_000),
      mode: 'mini-program' as const,
    });
    const pay = (outTradeNo: string) =>
      fetch(`${env.sandbox.url}/sandbox/pay`, {
        method: 'POST',
        body: JSON.stringify({ channel, outTradeNo }),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);

    it('creates an order with the client parameters the mini-program needs', async () => {
      const { clientParams } = await provider.createOrder(order('MPRT1'));
      if (channel === 'alipay') expect(clientParams.tradeNo).toMatch(/^\d+/);
      else
        expect(Object.keys(clientParams).sort()).toEqual([
          'appId',
          'nonceStr',
          'package',
          'paySign',
          'signType',
          'timeStamp',
        ]);
      expect(await provider.queryOrder('MPRT1')).toMatchObject({ status: 'PENDING', amountFen: 2500 });
    });

    it('receives a signed payment notification it verifies, then queries PAID', async () => {
      await provider.createOrder(order('MPRT2', 1234));
      const paid = await pay('MPRT2');
      expect(paid).toMatchObject({
        status: 'PAID',
        notified: true,
        responseStatus: channel === 'alipay' ? 200 : 204,
      });
      expect(events.at(-1)).toMatchObject({
        kind: 'payment.succeeded',
        outTradeNo: 'MPRT2',
        amountFen: 1234,
      });
      expect(await provider.queryOrder('MPRT2')).toMatchObject({ status: 'PAID', amountFen: 1234 });
    });

    it('refunds partially and repeatedly, deterministically per refund number, never above the total', async () => {
      await provider.createOrder(order('MPRT3', 1000));
      await pay('MPRT3');
      const first = await provider.refund({
        outTradeNo: 'MPRT3',
        outRefundNo: 'MRRT3A',
        amountFen: fen(400),
        totalFen: fen(1000),
        reason: '部分退款',
      });
      expect(['SUCCEEDED', 'PROCESSING']).toContain(first.status);
      const again = await provider.refund({
        outTradeNo: 'MPRT3',
        outRefundNo: 'MRRT3A',
        amountFen: fen(400),
        totalFen: fen(1000),
        reason: '部分退款',
      });
      expect(['SUCCEEDED', 'PROCESSING']).toContain(again.status);
      expect(
        (
          await provider.refund({
            outTradeNo: 'MPRT3',
            outRefundNo: 'MRRT3B',
            amountFen: fen(601),
            totalFen: fen(1000),
            reason: 'too much',
          })
        ).status,
      ).toBe('FAILED');
      await expect
        .poll(async () => (await provider.queryRefund('MPRT3', 'MRRT3A')).status, { timeout: 5_000 })
        .toBe('SUCCEEDED');
      expect(env.sandbox.orders.get(`${channel}:MPRT3`)?.refundedFen).toBe(400);
    });

    it('closes an unpaid order, and reports PAID when closing one that was paid meanwhile', async () => {
      await provider.createOrder(order('MPRT4'));
      expect((await provider.closeOrder('MPRT4')).status).toBe('CLOSED');
      await provider.createOrder(order('MPRT5'));
      await pay('MPRT5');
      expect((await provider.closeOrder('MPRT5')).status).toBe('PAID');
    });

    it('rejects the sandbox probe (a mis-signed notification)', async () => {
      await provider.createOrder(order('MPRT6'));
      await pay('MPRT6');
      const probe = (await fetch(`${env.sandbox.url}/sandbox/probe`, {
        method: 'POST',
        body: JSON.stringify({ channel, outTradeNo: 'MPRT6' }),
      }).then((r) => r.json())) as { acknowledged: boolean; responseStatus: number };
      expect(probe.acknowledged).toBe(false);
      expect(probe.responseStatus).toBe(401);
    });
  },
);

describe('wechatpay serial modes', () => {
  it('verifies responses and notifications in certificate, public-key and mixed mode', async () => {
    const events: ProviderEvent[] = [];
    const holder: { provider?: PaymentProvider } = {};
    const receiver = await notificationReceiver(async (_c, n) => {
      events.push(await holder.provider!.verifyNotification(n));
      return { status: 204, body: '' };
    });
    const env = await sandboxWithProviders(receiver.url);
    holder.provider = env.providers.wechatpay;
    const provider = holder.provider;
    try {
      for (const [i, mode] of (['certificate', 'public-key', 'mixed', 'mixed'] as const).entries()) {
        env.sandbox.settings.wechatSerialMode = mode;
        await provider.createOrder({
          outTradeNo: `MPSM${i}`,
          amountFen: fen(100),
          description: 'x',
          payer: { wechatOpenId: 'o1' },
          expiresAt: new Date(Date.now() + 60_000),
          mode: 'mini-program',
        });
        await fetch(`${env.sandbox.url}/sandbox/pay`, {
          method: 'POST',
          body: JSON.stringify({ channel: 'wechatpay', outTradeNo: `MPSM${i}` }),
        });
      }
      expect(events.map((e) => e.kind)).toEqual([
        'payment.succeeded',
        'payment.succeeded',
        'payment.succeeded',
        'payment.succeeded',
      ]);
      const serials = new Set(env.sandbox.notifications.map((n) => n.responseStatus));
      expect(serials).toEqual(new Set([204]));
    } finally {
      await env.sandbox.close();
      await receiver.close();
    }
  });
});
