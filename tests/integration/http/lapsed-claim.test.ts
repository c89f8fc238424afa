/**
 * A POST re-executed after its idempotency claim lapsed converges on the first attempt's outcome: the real
 * create-payment route behind the real middy stack, DynamoDB Local, and the sandbox over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentHandler } from '../../../functions/http/payments/create';
import type { AppDeps } from '../../../lib/config/container';
import type { CreateOrderRequest, PaymentProvider } from '../../../lib/ports/payment-provider';
import { testDeps } from '../../support/dynamo';
import { httpEvent, lambdaContext, tokenFor } from '../../support/http';
import { sandboxWithProviders } from '../../support/sandbox';

/** A clock the test moves by hand: moving it past the claim's lock time makes the claim lapse. */
function manualClock() {
  let now = Date.now();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

/** Holds a provider's createOrder at a chosen point until released, and records every call. */
function gatedProvider(inner: PaymentProvider) {
  const calls: string[] = [];
  const gate: { point?: 'before-provider' | 'after-provider'; release?: () => void; reached?: () => void } =
    {};
  const hold = async (point: 'before-provider' | 'after-provider') => {
    if (gate.point !== point) return;
    gate.point = undefined; // only the first attempt is held
    await new Promise<void>((release) => {
      gate.release = release;
      gate.reached?.();
    });
  };
  const provider: PaymentProvider = {
    ...inner,
    async createOrder(request: CreateOrderRequest) {
      calls.push(request.outTradeNo);
      await hold('before-provider');
      const created = await inner.createOrder(request);
      await hold('after-provider');
      return created;
    },
  };
  return { provider, calls, gate };
}

describe.each(['alipay', 'wechatpay'] as const)('a lapsed claim on POST /payments (%s)', (channel) => {
  let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
  beforeAll(async () => {
    env = await sandboxWithProviders('http://127.0.0.1:9');
  });
  afterAll(() => env.sandbox.close());

  const payer =
    channel === 'alipay'
      ? { alipayUserId: '2088102122524333' }
      : { wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' };

  it.each(['before-provider', 'after-provider'] as const)(
    'the same request run twice, the first held %s its provider call while the claim lapses: one payment, one provider order',
    async (point) => {
      const clock = manualClock();
      const gated = gatedProvider(env.providers[channel]);
      const deps: AppDeps = await testDeps({ clock, providers: { [channel]: gated.provider } });
      const handler = createPaymentHandler(() => Promise.resolve(deps));
      const token = await tokenFor('patient', `P-lapse-${point}`);
      const referenceId = `REG-lapse-${channel}-${point}`;
      const request = () =>
        handler(
          httpEvent('POST', '/payments', {
            headers: { authorization: `Bearer ${token}`, 'idempotency-key': `lapse-${point}` },
            body: {
              channel,
              purpose: 'registration',
              referenceId,
              amountFen: 2500,
              description: `挂号费 ${channel} ${point}`,
              payer,
              mode: 'mini-program',
            },
          }),
          lambdaContext(),
        );

      const reached = new Promise<void>((r) => (gated.gate.reached = r));
      gated.gate.point = point;
      const first = request();
      await reached;
      clock.advance(deps.config.idempotency.lockMs + 1_000); // the first attempt's claim lapses
      const second = await request();
      gated.gate.release?.();
      const firstDone = await first;

      expect(second.statusCode).toBe(201);
      expect(firstDone.statusCode).toBe(201);
      const a = JSON.parse(firstDone.body) as { paymentId: string; outTradeNo: string };
      const b = JSON.parse(second.body) as { paymentId: string; outTradeNo: string };
      expect(b.paymentId).toBe(a.paymentId);
      expect(b.outTradeNo).toBe(a.outTradeNo);

      const payments = await deps.ledger.payments.ofReference(referenceId);
      expect(payments.map((p) => p.value.paymentId)).toEqual([a.paymentId]);
      expect(new Set(gated.calls)).toEqual(new Set([a.outTradeNo]));
      const orders = (await (await fetch(`${env.sandbox.url}/sandbox/orders`)).json()) as Array<{
        channel: string;
        description: string;
        outTradeNo: string;
      }>;
      const ours = orders.filter((o) => o.description === `挂号费 ${channel} ${point}`);
      expect(ours.map((o) => o.outTradeNo)).toEqual([a.outTradeNo]);
      expect((await gated.provider.queryOrder(a.outTradeNo)).status).toBe('PENDING');
    },
  );
});
