/**
 * Statement files cannot carry formulas (CSV injection, OWASP "CSV Injection"): every text cell that a
 * caller, a front end or a provider could have chosen and that begins with =, +, -, @, tab or CR gets a
 * leading apostrophe in the CSV; the XLSX writes it as a string cell, never a formula, exactly as written
 * (#19: the CSV's guard showed there as text); medpay's own amounts stay numbers.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvCells } from '../../../support/csv';
import { collect } from '../../../support/streams';
import {
  textCell,
  writeStatementCsv,
  writeStatementXlsx,
} from '../../../../lib/adapters/files/statement-files';
import type { StatementRow, StatementTotals } from '../../../../lib/usecases/finance/statement-rows';

const HOSTILE = [
  '=HYPERLINK("http://x","y")',
  '+1+1',
  '-1+1',
  '@SUM(1,1)',
  '\t=1+1',
  '\r=1+1',
  "=cmd|' /C calc'!A0",
];
const FORMULA_START = /^[=+\-@\t\r]/;

const rows = (): AsyncIterable<StatementRow> =>
  (async function* () {
    for (const [i, text] of HOSTILE.entries())
      yield {
        time: new Date('2026-11-20T02:00:00Z'),
        account: 'channel:alipay:clearing',
        channel: 'alipay',
        reference: text,
        orderNo: text,
        providerNo: text,
        originalPayment: text,
        purpose: text,
        hisReference: text,
        grossFen: i % 2 === 0 ? 2500 : -2500,
        feeFen: -15,
        netFen: 2485,
        direction: 'in',
        mode: i === 0 ? 'payment-code' : undefined,
      };
  })();
const totals: StatementTotals = {
  rows: 7,
  inCount: 7,
  inFen: 2500,
  outCount: 0,
  outFen: 0,
  feesFen: 15,
  netFen: 2485,
  byChannel: { alipay: { inCount: 7, inFen: 2500, outCount: 0, outFen: 0, feesFen: 15, netFen: 2485 } },
};

describe('statement files', () => {
  it('textCell neutralises each formula prefix and leaves other text alone', () => {
    for (const t of HOSTILE) expect(textCell(t)).toBe(`'${t}`);
    expect(textCell('HIS-1001')).toBe('HIS-1001');
    expect(textCell('挂号费')).toBe('挂号费');
  });

  it('CSV: no text cell can start a formula; amount columns keep their sign', async () => {
    const csv = (await collect((out) => writeStatementCsv(rows(), totals, '=title', out)))
      .toString('utf8')
      .slice(1);
    const table = csvCells(csv);
    const data = table.slice(2, 2 + HOSTILE.length);
    for (const row of data) {
      for (const cell of [...row.slice(0, 8), row[11] as string]) expect(cell).not.toMatch(FORMULA_START);
      expect(row[2]).toMatch(/^'/); // our reference
      expect(row[1]).toBe('支付宝 alipay');
    }
    expect(data.map((r) => r[8])).toContain('-25.00');
    expect(table[0]?.[0]).toBe("'=title");
    // How the payment was taken, the last column: a payment code at a window (#22); empty when not recorded.
    expect(table[1]?.at(-1)).toBe('支付方式 Mode');
    expect(data.map((r) => r[13])).toEqual(['付款码 payment-code', ...HOSTILE.slice(1).map(() => '')]);
  });

  it('XLSX: no cell is a formula, text is shown as written, amounts are numbers', async () => {
    const xlsx = await collect((out) => writeStatementXlsx(rows(), totals, '@title', out));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Statement');
    let strings = 0;
    sheet?.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === 'string') strings += 1;
      }),
    );
    expect(strings).toBeGreaterThan(HOSTILE.length * 4);
    // A string cell is never evaluated, so the text is shown as written, with no CSV guard (#19).
    for (const [i, text] of HOSTILE.entries()) expect(sheet?.getRow(3 + i).getCell(3).value).toBe(text);
    expect(sheet?.getRow(1).getCell(1).value).toBe('@title'); // the title on top, then the header
    expect(sheet?.getRow(2).getCell(1).value).toBe('交易时间 Time');
    expect(sheet?.getRow(3).getCell(9).value).toBe(25);
    expect(sheet?.getRow(4).getCell(9).value).toBe(-25);
  });

  it('XLSX: times are date cells (Beijing time), the header is frozen and filtered, totals follow the table', async () => {
    const xlsx = await collect((out) => writeStatementXlsx(rows(), totals, 'title', out));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Statement');
    const time = sheet?.getRow(3).getCell(1);
    // A date serial carries no zone; exceljs reads it as UTC: 2026-11-20T02:00:00Z shows as 10:00 in Beijing.
    expect(time?.value).toEqual(new Date('2026-11-20T10:00:00.000Z'));
    expect(time?.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet?.autoFilter).toBe(`A2:N${2 + HOSTILE.length}`);
    const totalsRow = sheet?.getRow(2 + HOSTILE.length + 3);
    expect(totalsRow?.getCell(8).value).toBe('合计 All (7 in, 0 out)');
    expect(totalsRow?.getCell(9).value).toBe(25);
    expect(totalsRow?.getCell(12).value).toBe(24.85);
  });
});
