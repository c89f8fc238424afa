/**
 * Finance benchmarks for `npm run bench`:
 *   (h) reconcile N bill lines (a WeChat Pay bill file) against N ledger lines, vs the floor (gunzip +
 *       csv-parse + a Map join), each in a fresh process, with its peak memory (max RSS);
 *   (i) statement export rows per second and peak memory, CSV and XLSX, at 100,000 and 1,000,000 rows.
 * The ledger side is generated in memory: DynamoDB Local cannot take a million journal items in a bench's
 * time here, so these measure parsing, matching and writing, not the DynamoDB reads.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createGzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import { formatYuan, type Fen } from '../lib/domain/money';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Writes a WeChat Pay trade bill with n payment rows, gzipped, without holding it in memory, and returns its
 * hash_value: the SHA-1 of the original (decompressed) bill, BOM included, as the tradebill API gives it.
 */
async function writeBill(path: string, n: number): Promise<string> {
  const gzip = createGzip();
  const out = createWriteStream(path);
  const hash = createHash('sha1');
  gzip.pipe(out);
  const write = (s: string) => {
    hash.update(s, 'utf8');
    return gzip.write(s) ? Promise.resolve() : new Promise((r) => gzip.once('drain', r));
  };
  await write(
    '\uFEFF交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n',
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
  return hash.digest('hex');
}

/** Runs a bench script in a fresh node process and returns the JSON it prints last. */
function runChild<T>(script: string, args: readonly string[], nodeOptions: readonly string[] = []): T {
  const out = execFileSync(
    process.execPath,
    [...nodeOptions, join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script, ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1) as string) as T;
}

const runCase = (mode: string, file: string, sha1: string, n: number) =>
  runChild<{ mode: string; ms: number; maxRssMB: number; matched: number }>(
    'bench/reconcile-case.ts',
    [mode, file, sha1, String(n)],
    ['--max-old-space-size=4096'],
  );

/** (h) Reconciliation of n lines, ours vs the floor, interleaved `rounds` times. */
export async function benchReconcile(n: number, rounds = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'medpay-bench-'));
  try {
    const file = join(dir, 'tradebill.csv.gz');
    const sha1 = await writeBill(file, n);
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** (i) Statement export rows per second and peak memory, CSV and XLSX, at two sizes (fresh process each). */
export function benchStatement(sizes: readonly number[] = [100_000, 1_000_000]) {
  const run = (format: string, n: number) =>
    runChild<{ format: string; rows: number; ms: number; maxRssMB: number }>('bench/statement-case.ts', [
      format,
      String(n),
    ]);
  return (['csv', 'xlsx'] as const).flatMap((format) =>
    sizes.map((n) => {
      const r = run(format, n);
      return { ...r, rowsPerSec: Math.round((r.rows / r.ms) * 1000) };
    }),
  );
}
