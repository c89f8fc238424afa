/**
 * Statement files finance can open: CSV (UTF-8 with a BOM, so Excel shows Chinese) and XLSX (typed amount
 * cells in yuan with two decimals, ./xlsx.ts). Both are written row by row.
 */
import type { Writable } from 'node:stream';
import { toShanghaiDateTime } from '../../domain/business-day';
import { formatSignedYuan } from '../../domain/money';
import type { StatementRow, StatementTotals } from '../../ports/statement-writer';

const HEADERS = [
  '交易时间 Time',
  '我方单号 Reference',
  '渠道单号 Provider No.',
  '用途 Purpose',
  'HIS单号 HIS Ref.',
  '金额 Gross (¥)',
  '手续费 Fee (¥)',
  '净额 Net (¥)',
  '方向 Direction',
];
const DIRECTIONS = { in: '收入 in', out: '支出 out', fee: '手续费 fee' } as const;

const yuan = formatSignedYuan;
const beijing = toShanghaiDateTime;
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * A text cell that cannot start a formula (CSV injection, OWASP "CSV Injection"): a value beginning with
 * `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so Excel and LibreOffice show it as text.
 * Applied to every text a caller or a provider could have chosen; medpay's own amounts are written as
 * numbers (XLSX) or as its own signed yuan text (CSV) and are not text cells.
 */
export const textCell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** The text columns of a row, in header order (time, our reference, provider number, purpose, HIS reference). */
const textCells = (r: StatementRow) => [
  beijing(r.time),
  r.reference,
  r.providerNo,
  r.purpose,
  r.hisReference,
];

/** Writes rows with backpressure. */
async function write(out: Writable, chunk: string) {
  if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
}

/** Streams a CSV statement: BOM, header, rows, then the totals section. */
export async function writeStatementCsv(
  rows: AsyncIterable<StatementRow>,
  totals: StatementTotals,
  title: string,
  out: Writable,
): Promise<void> {
  await write(out, `\uFEFF${csvField(textCell(title))}\r\n${HEADERS.join(',')}\r\n`);
  for await (const r of rows) {
    const text = textCells(r).map(textCell);
    const amounts = [yuan(r.grossFen), yuan(r.feeFen), yuan(r.netFen)];
    await write(out, `${[...text, ...amounts, DIRECTIONS[r.direction]].map(csvField).join(',')}\r\n`);
  }
  await write(
    out,
    [
      '',
      '合计 Totals',
      `收入笔数 In count,${totals.inCount}`,
      `收入金额 In (¥),${yuan(totals.inFen)}`,
      `支出笔数 Out count,${totals.outCount}`,
      `支出金额 Out (¥),${yuan(totals.outFen)}`,
      `手续费 Fees (¥),${yuan(totals.feesFen)}`,
      `净额 Net (¥),${yuan(totals.netFen)}`,
      '',
    ].join('\r\n'),
  );
  out.end();
}

/** Rows per worksheet: a big day goes over sheets "Statement", "Statement 2", … (Excel's limit is 1,048,576). */
export const XLSX_ROWS_PER_SHEET = 100_000;

/** Streams an XLSX statement: typed amount cells (yuan, 0.00), the totals below the last rows. */
export async function writeStatementXlsx(
  rows: AsyncIterable<StatementRow>,
  totals: StatementTotals,
  title: string,
  out: Writable,
): Promise<void> {
  const { xlsxWriter } = await import('./xlsx'); // fflate only when an XLSX file is written
  const book = xlsxWriter(out, {
    widths: HEADERS.map((_, i) => (i === 0 ? 20 : 18)),
    twoDecimals: [5, 6, 7],
  });
  let sheets = 0;
  const newSheet = async () => {
    sheets += 1;
    await book.addSheet(sheets === 1 ? 'Statement' : `Statement ${sheets}`);
    await book.addRow(HEADERS);
  };
  await newSheet();
  let inSheet = 0;
  // Yuan as the exact decimal text of the fen amount, written as the cell's number.
  const money = (fen: number) => ({ number: yuan(fen) });
  for await (const r of rows) {
    if (inSheet === XLSX_ROWS_PER_SHEET) {
      await newSheet();
      inSheet = 0;
    }
    await book.addRow([
      ...textCells(r).map(textCell),
      money(r.grossFen),
      money(r.feeFen),
      money(r.netFen),
      DIRECTIONS[r.direction],
    ]);
    inSheet += 1;
  }
  await book.addRow([]);
  await book.addRow([textCell(title)]);
  for (const [label, fen, count] of [
    ['收入 In', totals.inFen, totals.inCount],
    ['支出 Out', totals.outFen, totals.outCount],
    ['手续费 Fees', totals.feesFen, undefined],
    ['净额 Net', totals.netFen, undefined],
  ] as const)
    await book.addRow([
      label,
      count === undefined ? undefined : { number: String(count) },
      '',
      '',
      '',
      money(fen),
    ]);
  await book.finish();
}
