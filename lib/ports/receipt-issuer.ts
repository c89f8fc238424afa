/**
 * ReceiptIssuer port: the hospital's fiscal e-receipt platform (财政电子票据; the platforms are separate
 * vendors, docs/receipts.md). Issuing is idempotent by the business number; reversing by the receipt.
 */
import type { Fen } from '../domain/money';

/** A receipt for a settled payment. */
export interface ReceiptRequest {
  /** The hospital's business number of this receipt (busNo): the same number gets the same receipt. */
  readonly busNo: string;
  readonly patientId: string;
  /** Who paid, as the receipt names them (交款人); the patient when unknown. */
  readonly payer: string;
  readonly amountFen: Fen;
  /** What was paid for (the receipt's single line). */
  readonly item: string;
  readonly at: Date;
}

/** A receipt or reversal as the platform numbered it. */
export interface IssuedBill {
  readonly billBatchCode: string;
  readonly billNo: string;
  readonly random: string;
  readonly createdAt: Date;
  readonly url?: string;
}

export interface ReceiptIssuer {
  issue(request: ReceiptRequest): Promise<IssuedBill>;
  /** 冲红: the red receipt reversing `bill` (a second call answers the same one). */
  reverse(request: {
    readonly billBatchCode: string;
    readonly billNo: string;
    readonly reason: string;
    readonly at: Date;
  }): Promise<IssuedBill>;
}
