/** BillSource port: a provider's own daily bill, what finance reconciles the ledger against. */
import type { Channel } from '../domain/ledger/accounts';
import type { BillLine } from '../domain/finance';

/** One channel's bills. */
export interface BillSource {
  readonly channel: Channel;
  /**
   * The provider's own bill for a Beijing business day (yyyy-mm-dd), streamed line by line. Throws
   * BillNotAvailableError before the provider publishes it; a damaged file throws BillRejectedError while
   * it is read.
   */
  fetchBill(day: string): Promise<AsyncIterable<BillLine>>;
}
