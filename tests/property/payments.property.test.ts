import { DEFAULT_PAYMENT_CODE_POLICY } from '../../lib/domain/payment-code';
import { recordingMetrics } from '../support/metrics';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoLedgerStore } from '../../lib/adapters/dynamodb/ledger-store';
import { ulidIds } from '../../lib/adapters/system/ulid-ids';
import { systemClock } from '../../lib/adapters/system/clock';
import { businessDayOf } from '../../lib/domain/business-day';
import { MedpayError } from '../../lib/domain/errors';
import type { Fen } from '../../lib/domain/money';
import type { Payment } from '../../lib/domain/payment';
import { applyNotification } from '../../lib/usecases/payments/apply-notification';
import { closePayment } from '../../lib/usecases/payments/close';
import { createPayment } from '../../lib/usecases/payments/create';
import type { PaymentDeps } from '../../lib/usecases/payments/deps';
import { loadPayment } from '../../lib/usecases/payments/records';
import { refundPayment } from '../../lib/usecases/payments/refund';
import { sweepPendingPayments, sweepProcessingRefunds } from '../../lib/usecases/payments/sweep-payments';
import { createTestTable } from '../support/dynamo';
import { notificationReceiver, sandboxWithProviders } from '../support/sandbox';
import { hospitalKeys } from '../../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

const op = fc.oneof(
  fc.record({ kind: fc.constant('pay' as const), p: fc.nat(2) }),
  fc.record({ kind: fc.constant('replay' as const), p: fc.nat(2) }),
  fc.record({
    kind: fc.constant('refund' as const),
    p: fc.nat(2),
    amount: fc.integer({ min: 1, max: 3000 }),
  }),
  fc.record({ kind: fc.constant('close' as const), p: fc.nat(2) }),
  fc.record({ kind: fc.constant('sweep' as const) }),
);

describe('payments under random interleavings', () => {
  let deps: PaymentDeps;
  let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
  let receiver: Awaited<ReturnType<typeof notificationReceiver>>;
  beforeAll(async () => {
    const { doc, tableName } = await createTestTable();
    const holder: { deps?: PaymentDeps } = {};
    receiver = await notificationReceiver(async (channel, n) => {
      try {
        const d = holder.deps as PaymentDeps;
        await applyNotification(
          d,
          await d.providers[channel as 'alipay' | 'wechatpay']!.verifyNotification(n),
        );
        return { status: channel === 'alipay' ? 200 : 204, body: channel === 'alipay' ? 'success' : '' };
      } catch {
        return { status: 500, body: 'fail' };
      }
    });
    env = await sandboxWithProviders(receiver.url);
    deps = {
      ledger: dynamoLedgerStore(doc, tableName, HOSPITAL),
      clock: systemClock,
      ids: ulidIds(),
      metrics: recordingMetrics(),
      providers: env.providers,
      payments: { expiryMinutes: 15, paymentCode: DEFAULT_PAYMENT_CODE_POLICY },
    };
    holder.deps = deps;
  });
  afterAll(async () => {
    await env.sandbox.close();
    await receiver.close();
  });

  it('keep the ledger balanced, refundedFen ≤ amountFen, and agree with the provider', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('alipay' as const, 'wechatpay' as const),
        fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        async (channel, rounds) => {
          const payments: Payment[] = [];
          for (let i = 0; i < 3; i++) {
            const { payment } = await createPayment(deps, {
              patientId: 'PP',
              channel,
              purpose: 'examination',
              referenceId: `R${i}`,
              amountFen: (1000 + i * 500) as Fen,
              description: 'prop',
              payer: channel === 'alipay' ? { alipayUserId: '2088102122524333' } : { wechatOpenId: 'o1' },
              mode: 'mini-program',
            });
            payments.push(payment);
          }
          const run = async (o: { kind: string; p?: number; amount?: number }) => {
            const payment = payments[o.p ?? 0] as Payment;
            try {
              if (o.kind === 'pay' || o.kind === 'replay') {
                await fetch(`${env.sandbox.url}/sandbox/pay`, {
                  method: 'POST',
                  body: JSON.stringify({ channel, outTradeNo: payment.outTradeNo }),
                });
              } else if (o.kind === 'refund') {
                await refundPayment(deps, {
                  paymentId: payment.paymentId,
                  amountFen: o.amount as Fen,
                  reason: 'prop',
                });
              } else if (o.kind === 'close') {
                await closePayment(deps, payment.paymentId);
              } else {
                await sweepPendingPayments(deps, -1);
                await sweepProcessingRefunds(deps, -1);
              }
            } catch (error) {
              expect(error).toBeInstanceOf(MedpayError); // refused with a typed error, never a crash
            }
          };
          for (const round of rounds) await Promise.all(round.map(run)); // concurrent within a round
          await new Promise((r) => setTimeout(r, 300)); // let WeChat's asynchronous refunds settle
          await sweepProcessingRefunds(deps, -1);

          for (const p of payments) {
            const now = (await loadPayment(deps.ledger, p.paymentId)).value;
            expect(now.refundedFen + now.refundingFen).toBeLessThanOrEqual(now.amountFen);
            const book = env.sandbox.orders.get(`${channel}:${p.outTradeNo}`);
            if (now.status === 'CLOSED' || now.status === 'PENDING') expect(book?.status).not.toBe('PAID');
            else expect(book?.status).toBe('PAID');
            if (now.refundingFen === 0) expect(now.refundedFen).toBe(book?.refundedFen ?? 0);
          }
          let net = 0;
          for await (const t of deps.ledger.journalForDay(businessDayOf(new Date())))
            for (const x of t.postings) net += (x.side === 'debit' ? 1 : -1) * x.amountFen;
          expect(net).toBe(0);
        },
      ),
      { numRuns: 12 },
    );
  });
});
