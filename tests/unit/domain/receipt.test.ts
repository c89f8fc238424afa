/**
 * Fiscal e-receipts (#24): the receipts of a payment cover exactly what it has left paid. A receipt cannot be
 * changed or partly reversed (冲红 reverses a receipt whole), so a partial refund reverses and reissues.
 */
import { describe, expect, it } from 'vitest';
import { fen } from '../../../lib/domain/money';
import {
  currentBill,
  nextReceiptStep,
  receiptBusNo,
  receiptRetryMs,
  type PaymentReceipt,
  type ReceiptBill,
} from '../../../lib/domain/receipt';

const bill = (
  kind: ReceiptBill['kind'],
  billNo: string,
  amountFen: number,
  reverses?: string,
): ReceiptBill => ({
  kind,
  billBatchCode: kind === 'ISSUED' ? '44060126' : '44060127',
  billNo,
  random: '123456',
  at: '2026-12-06T02:00:00.000Z',
  amountFen: fen(amountFen),
  ...(reverses ? { reverses: { billBatchCode: '44060126', billNo: reverses } } : {}),
});
const receipt = (...bills: ReceiptBill[]): PaymentReceipt => ({ status: 'PENDING', bills, attempts: 0 });

describe('what the receipts do next', () => {
  it('issue once paid; nothing while they cover it; reverse one for another amount; nothing once all refunded', () => {
    expect(nextReceiptStep(undefined, fen(10_000))).toEqual({ action: 'ISSUE' });
    const issued = receipt(bill('ISSUED', '0000000001', 10_000));
    expect(nextReceiptStep(issued, fen(10_000))).toEqual({ action: 'NONE' });
    // A partial refund: reverse, then (the reversal recorded) issue for the rest.
    expect(nextReceiptStep(issued, fen(6_000))).toMatchObject({
      action: 'REVERSE',
      bill: { billNo: '0000000001' },
    });
    const reversed = receipt(
      bill('ISSUED', '0000000001', 10_000),
      bill('REVERSED', '0000000002', 10_000, '0000000001'),
    );
    expect(currentBill(reversed)).toBeUndefined();
    expect(nextReceiptStep(reversed, fen(6_000))).toEqual({ action: 'ISSUE' });
    expect(nextReceiptStep(reversed, fen(0))).toEqual({ action: 'NONE' });
    const reissued = receipt(...reversed.bills, bill('ISSUED', '0000000003', 6_000));
    expect(currentBill(reissued)?.billNo).toBe('0000000003');
    expect(nextReceiptStep(reissued, fen(6_000))).toEqual({ action: 'NONE' });
    expect(nextReceiptStep(reissued, fen(0))).toMatchObject({
      action: 'REVERSE',
      bill: { billNo: '0000000003' },
    });
  });

  it('numbers each receipt of a payment (a retry gets the same one) and backs off to an hour', () => {
    expect(receiptBusNo('pay_01JABC', 1)).toBe('pay01JABCR1');
    expect(receiptBusNo('pay_01JABC', 2)).not.toBe(receiptBusNo('pay_01JABC', 1));
    expect([1, 2, 3, 10].map(receiptRetryMs)).toEqual([60_000, 120_000, 240_000, 3_600_000]);
  });
});
