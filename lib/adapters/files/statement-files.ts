/**
 * Statement files finance can open: CSV (UTF-8 with a BOM, so Excel shows Chinese) and XLSX (date-time and
 * typed amount cells, ./xlsx.ts). Both are written row by row. Columns: time, channel, our reference, our
 * order number at the provider, the provider's number, a refund's original payment, the purpose in Chinese
 * with its code, the HIS reference, gross, fee, net and direction, and the fee the provider's bill shows for
 * the line once the day is reconciled, and how a payment was taken (mini-program, QR code, link, payment
 * code); then totals per channel and overall.
 */
import type { Writable } from 'node:stream';
import { toShanghaiDateTime } from '../../domain/business-day';
import { formatSignedYuan } from '../../domain/money';
import type { RowTotals, StatementRow, StatementTotals } from '../../ports/statement-writer';

const HEADERS = [
  '交易时间 Time',
  '渠道 Channel',
  '我方单号 Reference',
  '商户订单号 Order No.',
  '渠道单号 Provider No.',
  '原支付 Original Payment',
  '用途 Purpose',
  'HIS单号 HIS Ref.',
  '金额 Gross (¥)',
  '手续费 Fee (¥)',
  '净额 Net (¥)',
  '方向 Direction',
  '账单手续费 Bill Fee (¥)',
  '支付方式 Mode',
];
/** Where the amounts start (gross, fee, net), and the bill's fee. */
const AMOUNTS = 8;
const BILL_FEE = AMOUNTS + 4;
/** How a payment was taken, in Chinese with the code beside it. */
const MODES: Record<string, string> = {
  'mini-program': '小程序',
  qr: '扫码',
  h5: 'H5链接',
  'payment-code': '付款码',
};
const modeText = (code: string | undefined) => (code ? `${MODES[code] ?? ''} ${code}`.trim() : '');
const DIRECTIONS = { in: '收入 in', out: '支出 out', fee: '手续费 fee' } as const;
const CHANNEL_NAMES: Record<string, string> = {
  alipay: '支付宝 alipay',
  wechatpay: '微信支付 wechatpay',
  insurance: '医保 insurance',
  'insurance-fund': '医保统筹 insurance-fund',
  'personal-account': '医保个人账户 personal-account',
};
/** Purposes in Chinese, with the code beside it (finance reads the first, systems match the second). */
const PURPOSES: Record<string, string> = {
  registration: '挂号费',
  examination: '检查检验费',
  prescription: '药费',
  'copy-fee': '病案复印费',
  deposit: '住院预交金',
  discharge: '出院结算',
  other: '其他',
  'visit-settlement': '先诊疗后付费结算',
  refund: '退款',
  insurance: '医保统筹',
  'provider-fees': '渠道手续费',
  'write-off': '差错核销',
};
const purposeText = (code: string) => (PURPOSES[code] ? `${PURPOSES[code]} ${code}` : code);
const channelText = (c: string) => CHANNEL_NAMES[c] ?? c;

const yuan = formatSignedYuan;
const beijing = toShanghaiDateTime;
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * A CSV text cell that cannot start a formula (CSV injection, OWASP "CSV Injection"): a value beginning with
 * `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so Excel and LibreOffice show it as text.
 * Applied to every text a caller or a provider could have chosen in the CSV. The XLSX needs no guard: its
 * text is written as string cells, which a spreadsheet never evaluates, so it shows the text as it is.
 */
export const textCell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** The text columns after the time, in header order (channel … HIS reference). */
const textCells = (r: StatementRow) => [
  channelText(r.channel),
  r.reference,
  r.orderNo,
  r.providerNo,
  r.originalPayment,
  purposeText(r.purpose),
  r.hisReference,
];

/** The totals table's rows: one per channel (when more than one), then all. */
const totalsRows = (totals: StatementTotals): Array<[string, RowTotals]> => {
  const channels = Object.entries(totals.byChannel).map(([c, t]): [string, RowTotals] => [channelText(c), t]);
  return [...(channels.length > 1 ? channels : []), ['合计 All', totals]];
};
const TOTALS_HEADER = [
  '合计 Totals',
  '收入笔数 In count',
  '收入 In (¥)',
  '支出笔数 Out count',
  '支出 Out (¥)',
  '手续费 Fees (¥)',
  '净额 Net (¥)',
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
    const amounts = [yuan(r.grossFen), yuan(r.feeFen), yuan(r.netFen)];
    const billFee = r.billFeeFen === undefined ? '' : yuan(r.billFeeFen);
    await write(
      out,
      `${[beijing(r.time), ...textCells(r).map(textCell), ...amounts, DIRECTIONS[r.direction], billFee, modeText(r.mode)].map(csvField).join(',')}\r\n`,
    );
  }
  const lines = totalsRows(totals).map(([label, t]) =>
    [label, t.inCount, yuan(t.inFen), t.outCount, yuan(t.outFen), yuan(t.feesFen), yuan(t.netFen)].join(','),
  );
  await write(out, ['', TOTALS_HEADER.join(','), ...lines, ''].join('\r\n'));
  out.end();
}

/** Rows per worksheet: a big day goes over sheets "Statement", "Statement 2", … (Excel's limit is 1,048,576). */
export const XLSX_ROWS_PER_SHEET = 100_000;

/**
 * Streams an XLSX statement: the title on top, a frozen and filtered header, date-time cells, typed amount
 * cells (yuan, 0.00), and the totals per channel and overall below the last rows.
 */
export async function writeStatementXlsx(
  rows: AsyncIterable<StatementRow>,
  totals: StatementTotals,
  title: string,
  out: Writable,
): Promise<void> {
  const { xlsxWriter } = await import('./xlsx'); // fflate only when an XLSX file is written
  const book = xlsxWriter(out, {
    widths: HEADERS.map((_, i) => (i === 0 ? 20 : i === 5 ? 30 : 18)),
    // The totals use the direction column too; the bill fee is the last column.
    twoDecimals: [AMOUNTS, AMOUNTS + 1, AMOUNTS + 2, AMOUNTS + 3, BILL_FEE],
  });
  let sheets = 0;
  // Each sheet: the title on top, the header below it frozen and filtered, then the rows.
  const newSheet = async () => {
    sheets += 1;
    await book.addSheet(sheets === 1 ? 'Statement' : `Statement ${sheets}`, {
      frozenRows: 2,
      autoFilterRow: 2,
    });
    await book.addRow([title]);
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
      { dateTime: r.time },
      ...textCells(r),
      money(r.grossFen),
      money(r.feeFen),
      money(r.netFen),
      DIRECTIONS[r.direction],
      r.billFeeFen === undefined ? '' : money(r.billFeeFen),
      modeText(r.mode),
    ]);
    inSheet += 1;
  }
  // The totals, below the rows and outside the filtered table.
  book.endTable();
  await book.addRow([]);
  const blank = Array<string>(AMOUNTS - 1).fill('');
  await book.addRow([
    ...blank,
    TOTALS_HEADER[0],
    '收入 In (¥)',
    '支出 Out (¥)',
    '手续费 Fees (¥)',
    '净额 Net (¥)',
  ]);
  for (const [label, t] of totalsRows(totals))
    await book.addRow([
      ...blank,
      `${label} (${t.inCount} in, ${t.outCount} out)`,
      money(t.inFen),
      money(t.outFen),
      money(t.feesFen),
      money(t.netFen),
    ]);
  await book.finish();
}
