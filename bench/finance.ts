/**
 * Finance benchmarks for `npm run bench`:
 *   (h) reconcile N bill lines (a WeChat Pay bill file) against N ledger lines, vs the floor (gunzip +
 *       csv-parse + a Map join), each in a fresh process, with its peak memory (max RSS);
 *   (i) statement export rows per second, CSV and XLSX, vs writing the same CSV lines by hand.
 * The ledger side is generated in memory: DynamoDB Local cannot take a million journal items in a bench's
 * time here, so these measure parsing, matching and writing, not the DynamoDB reads.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeStatementCsv, writeStatementXlsx } from '../lib/adapters/files/statement-files';
import { Accounts } from '../lib/domain/ledger/accounts';
import { journalTransaction, type JournalTransaction } from '../lib/domain/ledger/journal';
import { fen, formatYuan, type Fen } from '../lib/domain/money';
import type { LedgerStore } from '../lib/ports/ledger-store';
import { emptyTotals, statementRows } from '../lib/usecases/finance/statement';

const ROOT = resolve(import.meta.dirname, '..');

/** Writes a WeChat Pay trade bill with n payment rows, gzipped, without holding it in memory. */
async function writeBill(path: string, n: number) {
  const gzip = createGzip();
  const out = createWriteStream(path);
  gzip.pipe(out);
  const write = (s: string) =>
    gzip.write(s) ? Promise.resolve() : new Promise((r) => gzip.once('drain', r));
  await write(
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n',
  );
  let total = 0;
  for (let i = 0; i < n; i++) {
    const amount = 100 + (i % 9_000);
    total += amount;
    const y = formatYuan(amount as Fen);
    await write(
      [
        '2026-11-20 10:00:00',
        'wxd678efh567hg6787',
        '1900000109',
        '0',
        '',
        `4200${String(i).padStart(24, '0')}`,
        `MP${String(i).padStart(10, '0')}`,
        'o',
        'JSAPI',
        'SUCCESS',
        'OTHERS',
        'CNY',
        y,
        '0.00',
        '0',
        '0',
        '0.00',
        '0.00',
        '',
        '',
        '检查',
        '',
        '0.01000',
        '0.60%',
        y,
        '0.00',
        '',
      ]
        .map((f) => `\`${f}`)
        .join(',') + '\r\n',
    );
  }
  await write(
    `总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n\`${n},\`${formatYuan(total as Fen)},\`0.00,\`0.00,\`0.00,\`${formatYuan(total as Fen)},\`0.00\r\n`,
  );
  gzip.end();
  await new Promise<void>((r) => out.on('finish', () => r()));
}

const runCase = (mode: string, file: string, sha1: string, n: number) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--max-old-space-size=4096',
        join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
        'bench/reconcile-case.ts',
        mode,
        file,
        sha1,
        String(n),
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    )
      .trim()
      .split('\n')
      .at(-1) as string,
  ) as { mode: string; ms: number; maxRssMB: number; matched: number };

/** (h) Reconciliation of n lines, ours vs the floor, interleaved `rounds` times. */
export async function benchReconcile(n: number, rounds = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'medpay-bench-'));
  const file = join(dir, 'tradebill.csv.gz');
  await writeBill(file, n);
  const sha1 = createHash('sha1').update(readFileSync(file)).digest('hex');
  const ours: number[] = [];
  const floor: number[] = [];
  const rss = { ours: 0, floor: 0 };
  for (let i = 0; i < rounds; i++) {
    for (const mode of i % 2 === 0 ? ['ours', 'floor'] : ['floor', 'ours']) {
      const r = runCase(mode, file, sha1, n);
      if (r.matched !== n) throw new Error(`${mode} matched ${r.matched} of ${n}`);
      (mode === 'ours' ? ours : floor).push(r.ms);
      rss[mode as 'ours' | 'floor'] = Math.max(rss[mode as 'ours' | 'floor'], r.maxRssMB);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return {
    lines: n,
    oursMedianMs: median(ours),
    floorMedianMs: median(floor),
    ratio: Number((median(ours) / median(floor)).toFixed(2)),
    peakRssMB: rss,
  };
}

/** (i) Statement rows per second for CSV and XLSX (writers only; rows come from memory). */
export async function benchStatement(n: number) {
  const at = Date.parse('2026-11-20T00:00:00+08:00');
  const ledger = {
    async *journalForDayInOrder(): AsyncIterable<JournalTransaction> {
      for (let i = 0; i < n; i++)
        yield journalTransaction({
          txnId: `payment:p${i}:captured`,
          occurredAt: new Date(at + i * 50),
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
  } as unknown as LedgerStore;
  const deps = { ledger, clock: { now: () => new Date('2026-11-21T04:00:00Z') } };
  const sink = () => new Writable({ write: (_c, _e, done) => done() });
  const time = async (run: () => Promise<void>) => {
    const start = performance.now();
    await run();
    return performance.now() - start;
  };
  const csvMs = await time(() =>
    writeStatementCsv(statementRows(deps, '2026-11-20', 'alipay', emptyTotals()), emptyTotals(), 't', sink()),
  );
  const xlsxMs = await time(() =>
    writeStatementXlsx(
      statementRows(deps, '2026-11-20', 'alipay', emptyTotals()),
      emptyTotals(),
      't',
      sink(),
    ),
  );
  const floorMs = await time(async () => {
    const out = sink();
    for await (const t of ledger.journalForDayInOrder('2026-11-20' as never))
      out.write(
        `${t.occurredAt.toISOString()},${t.refs.paymentId},${t.refs.providerTradeNo},${formatYuan(t.postings[0]?.amountFen as Fen)}\r\n`,
      );
  });
  const perSec = (ms: number) => Math.round((n / ms) * 1000);
  return {
    rows: n,
    csvRowsPerSec: perSec(csvMs),
    xlsxRowsPerSec: perSec(xlsxMs),
    floorRowsPerSec: perSec(floorMs),
    csv_vs_floor: Number((csvMs / floorMs).toFixed(2)),
  };
}
