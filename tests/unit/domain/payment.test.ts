import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../../lib/domain/errors';
import { netOf } from '../../../lib/domain/ledger/journal';
import { fen } from '../../../lib/domain/money';
import {
  AmountExceedsRefundableError,
  assertPaymentTransition,
  assertRefundable,
  captureTransaction,
  outRefundNoFor,
  outTradeNoFor,
  refundTransaction,
  statusAfterRefund,
} from '../../../lib/domain/payment';

const paid = {
  paymentId: 'pay_1',
  status: 'PAID' as const,
  amountFen: fen(2500),
  refundedFen: fen(0),
  refundingFen: fen(0),
  refundCount: 0,
  paidAt: '2026-03-01T02:00:00.000Z',
};
const now = new Date('2026-03-02T00:00:00Z');

describe('payment state machine', () => {
  it.each([
    ['PENDING', 'PAID'],
    ['PENDING', 'CLOSED'],
    ['CLOSED', 'PAID'], // a notification racing our close: the money moved
    ['PAID', 'PARTIALLY_REFUNDED'],
    ['PARTIALLY_REFUNDED', 'REFUNDED'],
  ] as const)('allows %s → %s', (from, to) =>
    expect(() => assertPaymentTransition('pay_1', from, to)).not.toThrow(),
  );

  it.each([
    ['PAID', 'PENDING'],
    ['PAID', 'CLOSED'],
    ['REFUNDED', 'PAID'],
    ['PENDING', 'REFUNDED'],
  ] as const)('refuses %s → %s with INVALID_STATE', (from, to) =>
    expect(() => assertPaymentTransition('pay_1', from, to)).toThrow(InvalidStateError),
  );
});

describe('refunds', () => {
  it('allows partial and repeated refunds up to what is left, counting those in flight', () => {
    expect(() => assertRefundable(paid, fen(2500), now)).not.toThrow();
    expect(() =>
      assertRefundable({ ...paid, refundedFen: fen(1000), refundingFen: fen(1000) }, fen(500), now),
    ).not.toThrow();
    expect(() =>
      assertRefundable({ ...paid, refundedFen: fen(1000), refundingFen: fen(1000) }, fen(501), now),
    ).toThrow(AmountExceedsRefundableError);
  });

  it('refuses a refund of an unpaid payment with INVALID_STATE, and a zero refund', () => {
    expect(() => assertRefundable({ ...paid, status: 'PENDING' }, fen(100), now)).toThrow(InvalidStateError);
    expect(() => assertRefundable(paid, fen(0), now)).toThrow(AmountExceedsRefundableError);
  });

  it("enforces WeChat's 50 refunds per order and one-year window", () => {
    expect(() => assertRefundable({ ...paid, refundCount: 50 }, fen(1), now)).toThrow(InvalidStateError);
    expect(() => assertRefundable(paid, fen(1), new Date('2027-03-02T02:00:00Z'))).toThrow(
      /more than a year/,
    );
  });

  it('becomes REFUNDED only when everything has been refunded', () => {
    expect(statusAfterRefund(fen(2500), fen(2499))).toBe('PARTIALLY_REFUNDED');
    expect(statusAfterRefund(fen(2500), fen(2500))).toBe('REFUNDED');
  });
});

describe('provider numbers and postings', () => {
  it('derives provider numbers deterministically within WeChat limits', () => {
    const no = outTradeNoFor('pay_01JD3Z6Q8M1X2Y3Z4A5B6C7D8E');
    expect(no).toBe(outTradeNoFor('pay_01JD3Z6Q8M1X2Y3Z4A5B6C7D8E'));
    expect(no).toMatch(/^[A-Za-z0-9]{6,32}$/);
    expect(outRefundNoFor('rfd_01JD3Z6Q8M1X2Y3Z4A5B6C7D8E')).toMatch(/^MR[A-Za-z0-9]{4,30}$/);
  });

  it('posts a capture and a refund that balance and leave the patient receivable at zero', () => {
    const capture = captureTransaction({
      paymentId: 'pay_1',
      patientId: 'P1',
      channel: 'alipay',
      purpose: 'examination',
      amountFen: fen(2500),
      paidAt: now,
      outTradeNo: 'MPpay1',
      referenceId: 'HIS-1',
    });
    const refund = refundTransaction({
      refundId: 'rfd_1',
      paymentId: 'pay_1',
      patientId: 'P1',
      channel: 'alipay',
      purpose: 'examination',
      amountFen: fen(1000),
      succeededAt: now,
      outTradeNo: 'MPpay1',
      outRefundNo: 'MRrfd1',
    });
    for (const txn of [capture, refund]) {
      expect(netOf(txn.postings)).toBe(0);
      expect(netOf(txn.postings.filter((p) => p.account === 'patient:P1:receivable'))).toBe(0);
    }
    expect(capture.txnId).toBe('payment:pay_1:captured');
    expect(capture.postings.find((p) => p.account === 'channel:alipay:clearing')).toMatchObject({
      side: 'debit',
      amountFen: 2500,
    });
    expect(refund.postings.find((p) => p.account === 'channel:alipay:clearing')).toMatchObject({
      side: 'credit',
      amountFen: 1000,
    });
  });
});
