/**
 * 付款码 at a window (#22), through the use case against DynamoDB Local and the sandbox over real HTTP with
 * real signatures, on both wallets, with the schedule shortened (poll 150 ms, reversal at 1.2 s): a code
 * that pays at once; one that needs a password entered while medpay polls; one whose password never comes
 * (reversed or cancelled, CLOSED, nothing taken), in the request and in the follow-up; refused codes
 * (expired, used elsewhere) and malformed ones; the same code pressed twice and concurrently, taken once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulidIds } from '../../../../lib/adapters/system/ulid-ids';
import type { Channel } from '../../../../lib/domain/ledger/accounts';
import type { Fen } from '../../../../lib/domain/money';
import {
  PaymentCodeInvalidError,
  PaymentCodeRefusedError,
  PaymentCodeUsedError,
} from '../../../../lib/domain/payment-code';
import { followPaymentCode } from '../../../../lib/usecases/payments/follow-payment-code';
import {
  payByCode,
  type PayByCodeDeps,
  type PayByCodeInput,
} from '../../../../lib/usecases/payments/pay-by-code';
import { closePayment } from '../../../../lib/usecases/payments/close';
import { sweepPendingPayments } from '../../../../lib/usecases/payments/sweep-payments';
import { loadPayment } from '../../../../lib/usecases/payments/records';
import { testDeps } from '../../../support/dynamo';
import { sandboxWithProviders } from '../../../support/sandbox';

const POLICY = { pollMs: 150, deadlineMs: { wechatpay: 1_200, alipay: 1_200 }, waitMs: 5_000 };
const FAMILY = { wechatpay: 'oFamilyMember0000000000000001', alipay: '2088000000009999' } as const;

describe('payByCode', () => {
  let deps: PayByCodeDeps;
  let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
  const started: string[] = [];
  beforeAll(async () => {
    env = await sandboxWithProviders('http://127.0.0.1:9');
    const base = await testDeps({ providers: env.providers, ids: ulidIds() });
    deps = {
      ...base,
      payments: { expiryMinutes: 15, paymentCode: POLICY },
      followUp: {
        start: (_hospital: string, paymentId: string) => Promise.resolve(void started.push(paymentId)),
      },
    };
  });
  afterAll(() => env.sandbox.close());

  const sandbox = async (path: string, body?: object) => {
    const res = await fetch(`${env.sandbox.url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const code = async (channel: Channel, kind = 'valid', extra: object = {}) =>
    String(
      (await sandbox('/sandbox/payment-codes', { channel, kind, payer: FAMILY[channel], ...extra })).authCode,
    );
  const order = async (channel: Channel, outTradeNo: string) =>
    ((await sandbox('/sandbox/orders')) as unknown as Array<Record<string, unknown>>).find(
      (o) => o.channel === channel && o.outTradeNo === outTradeNo,
    );
  let n = 0;
  const input = (channel: Channel, authCode: string, over: Partial<PayByCodeInput> = {}): PayByCodeInput => ({
    patientId: 'P-WINDOW',
    channel,
    purpose: 'examination',
    referenceId: `HIS-CODE-${++n}`,
    amountFen: 8_800 as Fen,
    description: '门诊缴费',
    authCode,
    counter: { staffId: 'clerk-7', deviceId: 'SCANNER-03', windowId: 'W3' },
    ...over,
  });

  describe.each(['wechatpay', 'alipay'] as const)('%s', (channel) => {
    it('a code that pays at once: PAID, the payer is whoever showed the code, the window is on record', async () => {
      const p = await payByCode(deps, input(channel, await code(channel)));
      expect(p).toMatchObject({
        status: 'PAID',
        mode: 'payment-code',
        payerId: FAMILY[channel],
        patientId: 'P-WINDOW',
        counter: { staffId: 'clerk-7', deviceId: 'SCANNER-03', windowId: 'W3' },
        paymentCode: { state: 'PAID' },
      });
      expect(await deps.ledger.getTransaction(`payment:${p.paymentId}:captured`)).toBeDefined();
      expect(await order(channel, p.outTradeNo)).toMatchObject({
        status: 'PAID',
        deviceId: 'SCANNER-03',
        tradeType: channel === 'wechatpay' ? 'MICROPAY' : 'FACE_TO_FACE_PAYMENT',
      });
    });

    it('a code that needs a password: medpay polls until the patient has entered it, then PAID', async () => {
      const authCode = await code(channel, 'password', { passwordAfterMs: 400 });
      const p = await payByCode(deps, input(channel, authCode));
      expect(p).toMatchObject({ status: 'PAID', payerId: FAMILY[channel], paymentCode: { state: 'PAID' } });
    });

    it('a password never entered: reversed at the deadline and confirmed by a query, CLOSED, nothing taken', async () => {
      const p = await payByCode(deps, input(channel, await code(channel, 'password')));
      expect(p).toMatchObject({ status: 'CLOSED', paymentCode: { state: 'REVERSED' } });
      expect(p.paymentCode?.reversedAt).toBeDefined();
      expect(await deps.ledger.getTransaction(`payment:${p.paymentId}:captured`)).toBeUndefined();
      const booked = await order(channel, p.outTradeNo);
      expect(booked).toMatchObject({ status: 'CLOSED', revoked: true, refundedFen: 0 });
      expect(booked?.paidAt).toBeUndefined();
    });

    it('the request answers PENDING before the deadline and hands over; the follow-up reverses', async () => {
      const quick = { ...deps, payments: { ...deps.payments, paymentCode: { ...POLICY, waitMs: 100 } } };
      const p = await payByCode(quick, input(channel, await code(channel, 'password')));
      expect(p).toMatchObject({ status: 'PENDING', paymentCode: { state: 'PAYING' } });
      expect(started).toContain(p.paymentId);
      const after = await followPaymentCode(deps, p.paymentId, { status: 'PENDING' }, Infinity);
      expect(after).toMatchObject({ status: 'CLOSED', paymentCode: { state: 'REVERSED' } });
    });

    it('the clerk gives up before the deadline: closing reverses at once', async () => {
      const quick = { ...deps, payments: { ...deps.payments, paymentCode: { ...POLICY, waitMs: 0 } } };
      const p = await payByCode(quick, input(channel, await code(channel, 'password')));
      expect(p.status).toBe('PENDING');
      expect(await closePayment(deps, p.paymentId)).toMatchObject({
        status: 'CLOSED',
        paymentCode: { state: 'REVERSED' },
      });
    });

    it.each(['expired', 'used'])(
      'a %s code is refused by the wallet: PAYMENT_CODE_REFUSED, the payment CLOSED',
      async (kind) => {
        const i = input(channel, await code(channel, kind));
        const refused = await payByCode(deps, i).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(PaymentCodeRefusedError);
        const paymentId = (refused as PaymentCodeRefusedError).context.paymentId as string;
        const p = (await loadPayment(deps.ledger, paymentId)).value;
        expect(p).toMatchObject({ status: 'CLOSED', paymentCode: { state: 'REFUSED' } });
        expect(p.paymentCode?.refusal?.code).toBe(
          channel === 'wechatpay' ? 'INVALID_REQUEST' : 'ACQ.PAYMENT_AUTH_CODE_INVALID',
        );
      },
    );

    it('a malformed code, or the other wallet’s, is refused before anything is stored or called', async () => {
      const other = channel === 'wechatpay' ? '286666666666666666' : '134567890123456789';
      for (const bad of ['12345', `${channel === 'wechatpay' ? '16' : '31'}0000000000000000`, other]) {
        const error = await payByCode(
          deps,
          input(channel, bad, { requestKey: `bad-${channel}-${bad}` }),
        ).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PaymentCodeInvalidError);
        const id = deps.ids.derive('payment', `bad-${channel}-${bad}`);
        expect(await deps.ledger.payments.get(id)).toBeUndefined();
      }
    });

    it('the same code pressed twice, and at once, takes the money once; on another charge it is PAYMENT_CODE_USED', async () => {
      const authCode = await code(channel, 'password', { passwordAfterMs: 300 });
      const charge = input(channel, authCode);
      const [a, b, c] = await Promise.all([
        payByCode(deps, { ...charge, requestKey: `k1-${authCode}` }),
        payByCode(deps, { ...charge, requestKey: `k1-${authCode}` }),
        payByCode(deps, { ...charge, requestKey: `k2-${authCode}` }),
      ]);
      expect(new Set([a.paymentId, b.paymentId, c.paymentId]).size).toBe(1);
      const paid = (await loadPayment(deps.ledger, a.paymentId)).value;
      expect(paid.status).toBe('PAID');
      const orders = ((await sandbox('/sandbox/orders')) as unknown as Array<Record<string, unknown>>).filter(
        (o) => o.channel === channel && o.status === 'PAID' && o.outTradeNo === paid.outTradeNo,
      );
      expect(orders).toHaveLength(1);
      await expect(
        payByCode(deps, { ...charge, referenceId: 'HIS-OTHER', requestKey: `k3-${authCode}` }),
      ).rejects.toBeInstanceOf(PaymentCodeUsedError);
    });
  });

  it('WeChat refuses to reverse while the patient is paying: the payment waits REVERSING, the sweep finishes it', async () => {
    await sandbox('/sandbox/settings', { refuseReversalWhilePaying: true });
    try {
      const p = await payByCode(deps, input('wechatpay', await code('wechatpay', 'password')));
      expect(p).toMatchObject({ status: 'PENDING', paymentCode: { state: 'REVERSING' } });
    } finally {
      await sandbox('/sandbox/settings', { refuseReversalWhilePaying: false });
    }
    const swept = await sweepPendingPayments(deps, 0);
    expect(swept.closed).toBeGreaterThanOrEqual(1);
    const reversed = await deps.ledger.payments.pendingCreatedBefore(new Date().toISOString(), 100);
    expect(reversed.filter((p) => p.value.paymentCode)).toEqual([]);
  });
});
