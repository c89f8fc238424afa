/**
 * A business day's statement for finance: one row per journal posting that touches a channel's clearing
 * account or an insurance receivable, in time order, streamed, then the totals. An insured payment shows
 * three rows: the fund's part, the personal account's and the channel's self-pay part. Amounts in fen
 * here; the file writers format yuan.
 */
import type { BusinessDay } from '../../domain/business-day';
import { assertPastOrToday, matchKey } from '../../domain/finance';
import { CompactMap } from '../shared/compact-map';
import { clearingKeyOf } from './reconcile';
import { CHANNELS, type Channel } from '../../domain/ledger/accounts';
import type { Clock } from '../../ports/clock';
import type { LedgerStore } from '../../ports/ledger-store';
import type { RowTotals, StatementRow, StatementTotals } from '../../ports/statement-writer';

export type { StatementRow, StatementTotals } from '../../ports/statement-writer';

/** What a statement reads: the day's journal in time order, and its reconciliation's per-line fees. */
export interface StatementLedger extends Pick<LedgerStore, 'journalForDayInOrder'> {
  readonly reconciliations: Pick<LedgerStore['reconciliations'], 'day' | 'lineFees'>;
}

/**
 * The insurance receivables a full statement covers, by the name its rows carry: the pooled-fund and
 * personal-account parts of insured payments and visits (the self-pay part is the channel's), and the single
 * receivable visits used before the national platform (a day from then still reads as it did).
 */
const INSURANCE_ACCOUNTS: Readonly<Record<string, string>> = {
  'insurance:receivable': 'insurance',
  'insurance:fund:receivable': 'insurance-fund',
  'insurance:personal-account:receivable': 'personal-account',
};

/** Which accounts a statement covers. */
function accountsFor(channel: Channel | undefined): string[] {
  return channel
    ? [`channel:${channel}:clearing`]
    : [...CHANNELS.map((c) => `channel:${c}:clearing`), ...Object.keys(INSURANCE_ACCOUNTS)];
}

/**
 * Each channel's per-line bill fees for a day, by match key, from its latest reconciliation (empty for a
 * channel not reconciled yet).
 */
async function lineFeesOf(ledger: StatementLedger, day: string, channels: readonly Channel[]) {
  const byChannel = new Map<string, CompactMap>();
  for (const channel of channels) {
    const latest = (await ledger.reconciliations.day(channel, day))?.value;
    if (!latest) continue;
    const fees = new CompactMap(); // a million lines' fees in tens of MB, not hundreds
    for await (const chunk of ledger.reconciliations.lineFees(latest.reconciliationId))
      for (const [key, fen] of Object.entries(chunk)) fees.set(key, fen);
    byChannel.set(channel, fees);
  }
  return byChannel;
}

/** Streams the rows of a day's statement and fills `totals` as it goes. */
export async function* statementRows(
  deps: { ledger: StatementLedger; clock: Clock },
  day: string,
  channel: Channel | undefined,
  totals: StatementTotals,
): AsyncIterable<StatementRow> {
  assertPastOrToday(day, deps.clock.now());
  const accounts = new Set(accountsFor(channel));
  const billFees = await lineFeesOf(deps.ledger, day, channel ? [channel] : CHANNELS);
  for await (const txn of deps.ledger.journalForDayInOrder(day as BusinessDay)) {
    for (const p of txn.postings) {
      if (!accounts.has(p.account)) continue;
      const r = txn.refs;
      const fee = r.kind === 'provider-fees';
      const direction = fee ? 'fee' : p.side === 'debit' ? 'in' : 'out';
      const amount: number = p.amountFen;
      const feeFen = fee ? (p.side === 'credit' ? amount : -amount) : 0;
      const grossFen = fee ? 0 : amount;
      const insured = INSURANCE_ACCOUNTS[p.account];
      const channel: string = insured ?? p.account.split(':')[1] ?? p.account;
      const refund = r.refundId !== undefined;
      const key = fee ? undefined : clearingKeyOf(txn, channel as Channel, p.side);
      const billFeeFen = key && billFees.get(channel)?.get(matchKey(key.kind, key.no));
      const row: StatementRow = {
        time: txn.occurredAt,
        account: p.account,
        channel,
        reference: r.refundId ?? r.paymentId ?? r.visitId ?? r.admissionId ?? r.reconciliationId ?? txn.txnId,
        orderNo: r.outRefundNo ?? r.outTradeNo ?? r.preauthId ?? '',
        // The insurance parts' provider is the platform: its order (payOrdId) is what its settlement list names.
        providerNo: (insured ? r.payOrdId : undefined) ?? r.providerRefundId ?? r.providerTradeNo ?? '',
        originalPayment: refund ? [r.paymentId, r.outTradeNo].filter(Boolean).join(' / ') : '',
        purpose: fee ? 'provider-fees' : refund ? 'refund' : (r.purpose ?? (r.preauthId ? 'insurance' : '')),
        hisReference: r.referenceId ?? r.visitId ?? r.admissionId ?? '',
        grossFen,
        feeFen,
        netFen: direction === 'out' ? -grossFen : grossFen - feeFen,
        direction,
        ...(billFeeFen !== undefined ? { billFeeFen } : {}),
        ...(r.mode && !refund && !fee ? { mode: r.mode } : {}),
      };
      totals.rows += 1;
      for (const t of [totals, (totals.byChannel[channel] ??= emptyRowTotals())]) {
        if (direction === 'in') {
          t.inCount += 1;
          t.inFen += grossFen;
        } else if (direction === 'out') {
          t.outCount += 1;
          t.outFen += grossFen;
        } else t.feesFen += feeFen;
        t.netFen += row.netFen;
      }
      yield row;
    }
  }
}

/** Zero counts and sums. */
const emptyRowTotals = (): RowTotals => ({
  inCount: 0,
  inFen: 0,
  outCount: 0,
  outFen: 0,
  feesFen: 0,
  netFen: 0,
});

/** Fresh totals. */
export const emptyTotals = (): StatementTotals => ({ rows: 0, ...emptyRowTotals(), byChannel: {} });
