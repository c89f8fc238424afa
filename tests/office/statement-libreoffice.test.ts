/**
 * medpay writes its XLSX statements itself (lib/adapters/files/xlsx.ts, a streaming SpreadsheetML writer), so
 * the file must open in a real spreadsheet program, not only in the exceljs we test against (#14): Debian's
 * LibreOffice Calc converts a statement to CSV (`soffice --headless --convert-to csv`), and every amount, the
 * totals, the Beijing date-time cells and the Chinese text must read back as written, and agree with exceljs
 * and with medpay's own CSV of the same rows. Runs with `npm run test:external` (CI runs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeStatementCsv, writeStatementXlsx } from '../../lib/adapters/files/statement-files';
import type { StatementRow, StatementTotals } from '../../lib/ports/statement-writer';
import { csvCells } from '../support/csv';
import { collect } from '../support/streams';

const SOFFICE = process.env.MEDPAY_SOFFICE ?? 'soffice';
const ROWS = 3_000;
const dir = mkdtempSync(join(tmpdir(), 'medpay-office-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A day's rows with amounts of every size and sign (a fixed pseudo-random sequence), fees, refunds. */
function day(): StatementRow[] {
  let seed = 20261205;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  return Array.from({ length: ROWS }, (_, i) => {
    const refund = i % 7 === 3;
    const grossFen = (refund ? -1 : 1) * (1 + next(i % 100 === 0 ? 100_000_000 : 50_000));
    const fee = Math.floor((Math.abs(grossFen) * 6) / 1000); // 0.6 %, returned on a refund
    const feeFen = refund || fee === 0 ? fee : -fee;
    const channel = i % 2 === 0 ? 'alipay' : 'wechatpay';
    return {
      time: new Date(Date.UTC(2026, 10, 19, 16, 0, 0) + i * 28_000), // across the Beijing day 2026-11-20
      account: `channel:${channel}:clearing`,
      channel,
      reference: `${refund ? 'RF' : 'PM'}${String(i).padStart(8, '0')}`,
      orderNo: `MP${String(i).padStart(10, '0')}`,
      providerNo: `42000${String(i).padStart(10, '0')}`,
      originalPayment: refund ? `PM${String(i - 1).padStart(8, '0')}` : '',
      purpose: refund ? 'refund' : i % 3 === 0 ? 'registration' : 'examination',
      hisReference: `HIS-${i}`,
      grossFen,
      feeFen,
      netFen: grossFen + feeFen,
      direction: refund ? 'out' : 'in',
      ...(i % 5 === 0 ? { billFeeFen: feeFen } : {}),
    } satisfies StatementRow;
  });
}

/** The rows as the writers take them. */
async function* stream(rows: StatementRow[]): AsyncIterable<StatementRow> {
  yield* rows;
}

/** The totals the statement use case would pass, summed in integer fen. */
function totalsOf(rows: StatementRow[]): StatementTotals {
  const sum = (pick: (r: StatementRow) => number, keep: (r: StatementRow) => boolean = () => true) =>
    rows.filter(keep).reduce((s, r) => s + pick(r), 0);
  const part = (keep: (r: StatementRow) => boolean) => ({
    inCount: rows.filter((r) => keep(r) && r.direction === 'in').length,
    inFen: sum(
      (r) => r.grossFen,
      (r) => keep(r) && r.direction === 'in',
    ),
    outCount: rows.filter((r) => keep(r) && r.direction === 'out').length,
    outFen: -sum(
      (r) => r.grossFen,
      (r) => keep(r) && r.direction === 'out',
    ),
    feesFen: -sum((r) => r.feeFen, keep),
    netFen: sum((r) => r.netFen, keep),
  });
  return {
    rows: rows.length,
    ...part(() => true),
    byChannel: {
      alipay: part((r) => r.channel === 'alipay'),
      wechatpay: part((r) => r.channel === 'wechatpay'),
    },
  };
}

/** "-1234.56" (a cell shown with two decimals) as integer fen, exactly: no float arithmetic. */
function fenOf(text: string): number {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`not a two-decimal amount: ${JSON.stringify(text)}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

/** LibreOffice Calc's CSV (UTF-8, cells as shown) of the first sheet of `xlsx`. */
function libreOfficeCsv(xlsx: Buffer): string[][] {
  const file = join(dir, 'statement.xlsx');
  writeFileSync(file, xlsx);
  execFileSync(
    SOFFICE,
    [
      `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, // its own profile, removed after
      '--headless',
      '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true', // ',' '"' UTF-8, as shown
      '--outdir',
      dir,
      file,
    ],
    { stdio: 'pipe', timeout: 120_000 },
  );
  return csvCells(readFileSync(join(dir, 'statement.csv'), 'utf8'));
}

describe('an XLSX statement in LibreOffice Calc', () => {
  const rows = day();
  const totals = totalsOf(rows);

  it('reads back every amount, the totals, the date-time cells and the Chinese text as written', async () => {
    const xlsx = await collect((out) => writeStatementXlsx(stream(rows), totals, '2026-11-20 对账单', out));
    const sheet = libreOfficeCsv(xlsx);

    expect(sheet[0]?.[0]).toBe('2026-11-20 对账单');
    expect(sheet[1]?.slice(0, 3)).toEqual(['交易时间 Time', '渠道 Channel', '我方单号 Reference']);
    const data = sheet.slice(2, 2 + ROWS);
    expect(data).toHaveLength(ROWS);
    for (const [i, cells] of data.entries()) {
      const row = rows[i] as StatementRow;
      expect(cells[2]).toBe(row.reference);
      expect([fenOf(cells[8] ?? ''), fenOf(cells[9] ?? ''), fenOf(cells[10] ?? '')]).toEqual([
        row.grossFen,
        row.feeFen,
        row.netFen,
      ]);
    }
    // A date cell shown in Beijing time: 2026-11-19T16:00:00Z is 2026-11-20 00:00:00 there.
    expect(data[0]?.[0]).toBe('2026-11-20 00:00:00');
    expect(data[1]?.[0]).toBe('2026-11-20 00:00:28');
    expect(data[0]?.[1]).toBe('支付宝 alipay');
    expect(data[3]?.[6]).toBe('退款 refund');

    // The overall totals row, as LibreOffice shows it, equals the sums of the rows in integer fen.
    const overall = sheet.find((r) => r[7]?.startsWith('合计 All'));
    expect(overall?.slice(8, 12).map(fenOf)).toEqual([
      totals.inFen,
      totals.outFen,
      totals.feesFen,
      totals.netFen,
    ]);
    const sumOf = (col: number) => data.reduce((s, r) => s + fenOf(r[col] ?? ''), 0);
    expect(sumOf(10)).toBe(totals.netFen);
  }, 180_000);

  it('agrees with exceljs and with medpay’s own CSV of the same rows, cell for cell', async () => {
    const xlsx = await collect((out) => writeStatementXlsx(stream(rows), totals, 'statement', out));
    const csv = await collect((out) => writeStatementCsv(stream(rows), totals, 'statement', out));
    const office = libreOfficeCsv(xlsx).slice(2, 2 + ROWS);
    const ours = csvCells(csv.toString('utf8').replace(/^\uFEFF/, '')).slice(2, 2 + ROWS);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    const excel = book.getWorksheet('Statement');
    for (let i = 0; i < ROWS; i++) {
      const amounts = (office[i] ?? []).slice(8, 11).map(fenOf);
      expect((ours[i] ?? []).slice(8, 11).map(fenOf)).toEqual(amounts);
      // exceljs returns the cell's number; its two-decimal text is the exact amount.
      const cells = [9, 10, 11].map((c) => (excel?.getRow(3 + i).getCell(c).value as number).toFixed(2));
      expect(cells.map(fenOf)).toEqual(amounts);
    }
  }, 180_000);
});
