/**
 * One measured reconciliation run in a fresh process (so its peak memory is its own), for `npm run bench`:
 *   ours:  parseWechatBillGzip (SHA-1, gunzip, backtick CSV) + matchDay against keyLedgerLines
 *   floor: zlib gunzip + csv-parse of the same file + a Map join on out_trade_no
 * Prints one JSON line: { mode, ms, maxRssMB, matched }.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { parseWechatBillGzip } from '../lib/adapters/wechatpay/bill';
import { journalTransaction, type JournalTransaction } from '../lib/domain/ledger/journal';
import { Accounts } from '../lib/domain/ledger/accounts';
import { fen } from '../lib/domain/money';
import { keyLedgerLines, LedgerLines, matchDay, txnIdsOf } from '../lib/usecases/finance/reconcile';

const [mode, file, sha1, count] = process.argv.slice(2) as [string, string, string, string];
const n = Number(count);
const at = new Date('2026-11-20T10:00:00+08:00');

/** The ledger side: n captures, generated lazily (as the journal is read page by page). */
async function* journal(): AsyncIterable<JournalTransaction> {
  for (let i = 0; i < n; i++)
    yield journalTransaction({
      txnId: `payment:p${i}:captured`,
      occurredAt: at,
      refs: { outTradeNo: `MP${String(i).padStart(10, '0')}`, channel: 'wechatpay' },
      postings: [
        { account: Accounts.channelClearing('wechatpay'), side: 'debit', amountFen: fen(100 + (i % 9_000)) },
        { account: Accounts.revenue('examination'), side: 'credit', amountFen: fen(100 + (i % 9_000)) },
      ],
    });
}

const gz = new Uint8Array(readFileSync(file));
const start = performance.now();
let matched = 0;
if (mode === 'ours') {
  const today = await keyLedgerLines(journal(), 'wechatpay');
  const result = await matchDay(
    today,
    { before: 'x', after: 'y' },
    parseWechatBillGzip(gz, sha1, '2026-11-20'),
    {
      ledger: () => Promise.resolve(new LedgerLines()),
      bill: () => Promise.resolve(undefined),
      txnIds: (keys) => txnIdsOf(journal(), 'wechatpay', keys),
    },
  );
  matched = result.counts.matched;
} else {
  const ledger = new Map<string, number>();
  for await (const t of journal())
    ledger.set(t.refs.outTradeNo as string, (t.postings[0] as { amountFen: number }).amountFen);
  const records = Readable.from([Buffer.from(gz)])
    .pipe(createGunzip())
    .pipe(parse({ relax_column_count: true }));
  for await (const record of records as AsyncIterable<string[]>) {
    const outTradeNo = (record[6] ?? '').replace(/^`/, '');
    const amount = ledger.get(outTradeNo);
    if (amount !== undefined && Math.round(Number((record[12] ?? '').replace(/^`/, '')) * 100) === amount)
      matched += 1;
  }
}
const ms = performance.now() - start;
console.log(
  JSON.stringify({
    mode,
    ms: Math.round(ms),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    matched,
  }),
);
