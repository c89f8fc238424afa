/**
 * One statement export in a fresh process, for `npm run bench`: n rows (from memory) through the CSV or
 * XLSX writer into a discarding stream, the day reconciled (so every row looks up its bill fee among n, in
 * chunks of 500 as reconciliation stores them). Prints { format, rows, ms, maxRssMB }.
 */
import { Writable } from 'node:stream';
import { writeStatementCsv, writeStatementXlsx } from '../lib/adapters/files/statement-files';
import { Accounts } from '../lib/domain/ledger/accounts';
import { journalTransaction, type JournalTransaction } from '../lib/domain/ledger/journal';
import { fen } from '../lib/domain/money';
import { emptyTotals, statementRows, type StatementLedger } from '../lib/usecases/finance/statement-rows';

const [format, count] = process.argv.slice(2) as ['csv' | 'xlsx', string];
const n = Number(count);
const at = Date.parse('2026-11-20T00:00:00+08:00');
const ledger = {
  async *journalForDayInOrder(): AsyncIterable<JournalTransaction> {
    for (let i = 0; i < n; i++)
      yield journalTransaction({
        txnId: `payment:p${i}:captured`,
        occurredAt: new Date(at + Math.floor((i * 86_000_000) / n)),
        refs: {
          paymentId: `pay_${i}`,
          outTradeNo: `MP${i}`,
          providerTradeNo: `4200${i}`,
          referenceId: `HIS-${i}`,
          purpose: 'examination',
        },
        postings: [
          { account: Accounts.channelClearing('alipay'), side: 'debit', amountFen: fen(100 + (i % 9_000)) },
          { account: Accounts.revenue('examination'), side: 'credit', amountFen: fen(100 + (i % 9_000)) },
        ],
      });
  },
  // The day is reconciled: its latest run, and the run's per-line fees.
  reconciliations: {
    day: (channel, date) =>
      Promise.resolve({
        value: { channel, date, reconciliationId: 'rec_bench', feesPostedFen: 0 },
        version: 1,
      }),
    async *lineFees() {
      for (let start = 0; start < n; start += 500) {
        const fees: Record<string, number> = {};
        for (let i = start; i < Math.min(n, start + 500); i++) fees[`payment:MP${i}`] = 1 + (i % 54);
        yield fees;
      }
    },
  },
} satisfies StatementLedger;
const totals = emptyTotals();
const rows = statementRows(
  { ledger, clock: { now: () => new Date('2026-11-21T04:00:00Z') } },
  '2026-11-20',
  'alipay',
  totals,
);
const sink = new Writable({ write: (_c, _e, done) => done() });
const start = performance.now();
await (format === 'csv' ? writeStatementCsv : writeStatementXlsx)(rows, totals, 'bench', sink);
if (totals.rows !== n) throw new Error(`wrote ${totals.rows} of ${n} rows`);
console.log(
  JSON.stringify({
    format,
    rows: n,
    ms: Math.round(performance.now() - start),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
