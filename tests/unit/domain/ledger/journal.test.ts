import { describe, expect, it } from 'vitest';
import { UnbalancedTransactionError, ValidationError } from '../../../../lib/domain/errors';
import {
  Accounts,
  accountKind,
  hasTrackedBalance,
  parseAccount,
} from '../../../../lib/domain/ledger/accounts';
import {
  journalTransaction,
  movementsByAccount,
  netOf,
  reversalOf,
  txnIdFor,
} from '../../../../lib/domain/ledger/journal';

const at = new Date('2026-03-01T02:00:00Z');
const capture = () =>
  journalTransaction({
    txnId: txnIdFor('payment', 'pay_1', 'captured'),
    occurredAt: at,
    refs: { paymentId: 'pay_1' },
    postings: [
      { account: Accounts.channelClearing('alipay'), side: 'debit', amountFen: 2500 },
      { account: Accounts.patientReceivable('P1'), side: 'credit', amountFen: 2500 },
    ],
  });

describe('journalTransaction', () => {
  it('accepts a balanced transaction and freezes it', () => {
    const txn = capture();
    expect(txn.txnId).toBe('payment:pay_1:captured');
    expect(txn.currency).toBe('CNY');
    expect(netOf(txn.postings)).toBe(0);
    expect(Object.isFrozen(txn.postings)).toBe(true);
  });

  it('refuses debits and credits that differ', () => {
    expect(() =>
      journalTransaction({
        txnId: 'payment:pay_1:captured',
        occurredAt: at,
        postings: [
          { account: 'channel:alipay:clearing', side: 'debit', amountFen: 2500 },
          { account: 'patient:P1:receivable', side: 'credit', amountFen: 2499 },
        ],
      }),
    ).toThrow(UnbalancedTransactionError);
  });

  it.each([
    ['a single posting', [{ account: 'insurance:receivable', side: 'debit' as const, amountFen: 1 }]],
    [
      'a zero amount',
      [
        { account: 'insurance:receivable', side: 'debit' as const, amountFen: 0 },
        { account: 'patient:P1:receivable', side: 'credit' as const, amountFen: 0 },
      ],
    ],
    [
      'a fractional amount',
      [
        { account: 'insurance:receivable', side: 'debit' as const, amountFen: 1.5 },
        { account: 'patient:P1:receivable', side: 'credit' as const, amountFen: 1.5 },
      ],
    ],
  ])('refuses %s', (_name, postings) => {
    expect(() => journalTransaction({ txnId: 'visit:v1:settled', occurredAt: at, postings })).toThrow(
      UnbalancedTransactionError,
    );
  });

  it('refuses accounts outside the chart and malformed txnIds', () => {
    expect(() =>
      journalTransaction({
        txnId: 'payment:pay_1:captured',
        occurredAt: at,
        postings: [
          { account: 'cash:drawer', side: 'debit', amountFen: 1 },
          { account: 'patient:P1:receivable', side: 'credit', amountFen: 1 },
        ],
      }),
    ).toThrow(ValidationError);
    expect(() => journalTransaction({ ...capture(), txnId: 'no spaces allowed' })).toThrow(ValidationError);
  });

  it('reverses by posting every leg on the other side, keeping the original', () => {
    const original = capture();
    const reversal = reversalOf(original, 'payment:pay_1:capture-reversed', at);
    expect(reversal.postings.map((p) => p.side)).toEqual(['credit', 'debit']);
    expect(reversal.refs.reverses).toBe(original.txnId);
    expect(original.postings[0]?.side).toBe('debit');
  });

  it('sums movements per account when an account appears twice', () => {
    const txn = journalTransaction({
      txnId: 'visit:v1:settled',
      occurredAt: at,
      postings: [
        { account: 'insurance:receivable', side: 'debit', amountFen: 700 },
        { account: 'channel:wechatpay:clearing', side: 'debit', amountFen: 300 },
        { account: 'patient:P1:receivable', side: 'credit', amountFen: 600 },
        { account: 'patient:P1:receivable', side: 'credit', amountFen: 400 },
      ],
    });
    expect(movementsByAccount(txn).get(parseAccount('patient:P1:receivable'))).toEqual({
      debitFen: 0,
      creditFen: 1000,
    });
  });
});

describe('chart of accounts', () => {
  it.each([
    ['patient:P1:receivable', 'patient-receivable', true],
    ['visit:vis_1:tab', 'visit-tab', true],
    ['channel:alipay:clearing', 'channel-clearing', false],
    ['insurance:receivable', 'insurance-receivable', false],
    ['revenue:examination', 'revenue', false],
    ['fees:wechatpay', 'fees', false],
  ])('%s is %s (tracked balance: %s)', (id, kind, tracked) => {
    expect(accountKind(id)).toBe(kind);
    expect(hasTrackedBalance(parseAccount(id))).toBe(tracked);
  });
  it.each(['channel:unionpay:clearing', 'patient:张三:receivable', 'revenue:', 'patient::receivable'])(
    'refuses %s',
    (id) => {
      expect(() => parseAccount(id)).toThrow(ValidationError);
    },
  );
});
