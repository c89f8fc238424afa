/** StatementWriter port: the rows of a finance statement and the file formats that write them. */
import type { Writable } from 'node:stream';

/** One statement row. */
export interface StatementRow {
  readonly time: Date;
  readonly account: string;
  /** alipay, wechatpay, or insurance (what the insurance platform owes). */
  readonly channel: string;
  /** Our payment, refund or visit id. */
  readonly reference: string;
  /** Our order number at the provider (out_trade_no / out_refund_no): the join key with its bill. */
  readonly orderNo: string;
  /** The provider's trade or refund number (trade_no / transaction_id / refund_id), once known. */
  readonly providerNo: string;
  /** On a refund: the payment it returns (our id and out_trade_no). */
  readonly originalPayment: string;
  /** A code: a payment purpose, visit-settlement, refund, insurance or provider-fees (writers add Chinese). */
  readonly purpose: string;
  readonly hisReference: string;
  readonly grossFen: number;
  readonly feeFen: number;
  readonly netFen: number;
  readonly direction: 'in' | 'out' | 'fee';
  /**
   * The fee the provider's bill shows for this line, once the day is reconciled (informational: the day's
   * fee posting, a row of its own, is what the ledger books, and what the totals count).
   */
  readonly billFeeFen?: number;
  /** How the payment was taken (mini-program, qr, h5, payment-code), on a payment's rows where recorded. */
  readonly mode?: string;
}

/** Counts and sums of a set of rows. */
export interface RowTotals {
  inCount: number;
  inFen: number;
  outCount: number;
  outFen: number;
  feesFen: number;
  netFen: number;
}

/** The statement's totals, overall and per channel. */
export interface StatementTotals extends RowTotals {
  rows: number;
  byChannel: Record<string, RowTotals>;
}

/** Writes rows and totals to a stream in one format. */
export type StatementWriter = (
  rows: AsyncIterable<StatementRow>,
  totals: StatementTotals,
  title: string,
  out: Writable,
) => Promise<void>;
