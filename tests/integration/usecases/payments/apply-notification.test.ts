import { recorded } from '../../../support/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulidIds } from '../../../../lib/adapters/system/ulid-ids';
import { IntegrityAlertError } from '../../../../lib/domain/errors';
import type { Fen } from '../../../../lib/domain/money';
import { applyNotification } from '../../../../lib/usecases/payments/apply-notification';
import { closePayment } from '../../../../lib/usecases/payments/close';
import { createPayment } from '../../../../lib/usecases/payments/create';
import type { PaymentDeps } from '../../../../lib/usecases/payments/deps';
import { loadPayment } from '../../../../lib/usecases/payments/records';
import { testDeps } from '../../../support/dynamo';
import { sandboxWithProviders } from '../../../support/sandbox';

describe('applyNotification', () => {
  let deps: PaymentDeps;
  let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
  beforeAll(async () => {
    env = await sandboxWithProviders('http://127.0.0.1:9');
    deps = { ...(await testDeps()), providers: env.providers, ids: ulidIds() };
  });
  afterAll(() => env.sandbox.close());

  const pending = async (amountFen = 2500) =>
    (
      await createPayment(deps, {
        patientId: 'PN',
        channel: 'alipay',
        purpose: 'registration',
        referenceId: 'R1',
        amountFen: amountFen as Fen,
        description: 'x',
        payer: { alipayUserId: '2088102122524333' },
        mode: 'mini-program',
      })
    ).payment;
  const paidEvent = (outTradeNo: string, amountFen: number) => ({
    kind: 'payment.succeeded' as const,
    channel: 'alipay' as const,
    notificationId: `n-${outTradeNo}-${amountFen}`,
    outTradeNo,
    providerTradeNo: `T-${outTradeNo}`, // one provider trade per order
    amountFen: amountFen as Fen,
    paidAt: new Date('2026-03-01T02:00:01Z'), // a duplicate repeats the provider's payment time
  });

  it('captures once: the first notification applies, a duplicate is already applied; each counted once', async () => {
    const metrics = recorded(deps);
    const before = { created: metrics.total('PaymentsCreated'), paid: metrics.total('PaymentsPaid') };
    const p = await pending();
    expect(await applyNotification(deps, paidEvent(p.outTradeNo, 2500))).toBe('applied');
    expect(await applyNotification(deps, paidEvent(p.outTradeNo, 2500))).toBe('already-applied');
    expect(metrics.total('PaymentsCreated')).toBe(before.created + 1);
    expect(metrics.total('PaymentsPaid')).toBe(before.paid + 1);
    expect(metrics.recorded.at(-1)).toMatchObject({
      name: 'PaymentsPaid',
      dimensions: { channel: 'alipay' },
    });
    expect(await deps.ledger.getTransaction(`payment:${p.paymentId}:captured`)).toBeDefined();
  });

  it('refuses a signed notification whose amount differs from the order, changing nothing', async () => {
    const p = await pending();
    await expect(applyNotification(deps, paidEvent(p.outTradeNo, 1))).rejects.toBeInstanceOf(
      IntegrityAlertError,
    );
    expect((await loadPayment(deps.ledger, p.paymentId)).value.status).toBe('PENDING');
    expect(await deps.ledger.getTransaction(`payment:${p.paymentId}:captured`)).toBeUndefined();
  });

  it('resolves a payment we closed to PAID when the notification arrives after all: the money moved', async () => {
    const p = await pending();
    expect((await closePayment(deps, p.paymentId)).status).toBe('CLOSED');
    expect(await applyNotification(deps, paidEvent(p.outTradeNo, 2500))).toBe('applied');
    expect((await loadPayment(deps.ledger, p.paymentId)).value.status).toBe('PAID');
  });

  it('records a valid notification for an unknown order as an orphan, once, and credits nothing', async () => {
    expect(await applyNotification(deps, paidEvent('MPnobody', 100))).toBe('orphan');
    expect(await applyNotification(deps, paidEvent('MPnobody', 100))).toBe('orphan');
    expect(await deps.ledger.unmatched.get('alipay', 'n-MPnobody-100')).toMatchObject({
      status: 'UNMATCHED',
      reference: 'MPnobody',
    });
  });
});
