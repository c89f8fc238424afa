/** StatementWriter port: the rows of a finance statement and the file formats that write them. */
import type { Writable } from 'node:stream';

/** One statement row. */
export interface StatementRow {
  readonly time: Date;
  readonly account: string;
  /** Our payment, refund or visit id. */
  readonly reference: string;
  /** The provider's trade or refund number (our out_trade_no / out_refund_no when the provider's is unknown). */
  readonly providerNo: string;
  readonly purpose: string;
  readonly hisReference: string;
  readonly grossFen: number;
  readonly feeFen: number;
  readonly netFen: number;
  readonly direction: 'in' | 'out' | 'fee';
}

/** The statement's totals. */
export interface StatementTotals {
  rows: number;
  inCount: number;
  inFen: number;
  outCount: number;
  outFen: number;
  feesFen: number;
  netFen: number;
}

/** Writes rows and totals to a stream in one format. */
export type StatementWriter = (
  rows: AsyncIterable<StatementRow>,
  totals: StatementTotals,
  title: string,
  out: Writable,
) => Promise<void>;
