/**
 * The streaming XLSX writer, read back by an independent reader (exceljs, a dev dependency): sheets, text
 * with XML's special characters, exact decimal numbers with the "0.00" format, and ST_Xstring escapes.
 */
import ExcelJS from 'exceljs';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { collect } from '../../../support/streams';
import { excelSerial, xlsxWriter, xmlText } from '../../../../lib/adapters/files/xlsx';

describe('xlsxWriter', () => {
  it('writes sheets an independent reader opens: text, Chinese, XML specials and numbers with 0.00', async () => {
    const bytes = await collect(async (out) => {
      const w = xlsxWriter(out, { widths: [20, 18, 18], twoDecimals: [1] });
      await w.addSheet('Statement');
      await w.addRow(['交易时间 Time', '金额 Gross (¥)', 'Note']);
      await w.addRow(['<a & "b">', { number: '-25.00' }, '  spaced  ']);
      await w.addRow([undefined, { number: '100000000.01' }, '挂号费']);
      await w.addSheet('Statement 2');
      await w.addRow(['second', { number: '0.15' }]);
      await w.finish();
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Statement', 'Statement 2']);
    const s1 = wb.getWorksheet('Statement')!;
    expect(s1.getRow(1).getCell(1).value).toBe('交易时间 Time');
    expect(s1.getRow(2).getCell(1).value).toBe('<a & "b">');
    expect(s1.getRow(2).getCell(2).value).toBe(-25);
    expect(s1.getRow(2).getCell(2).numFmt).toBe('0.00');
    expect(s1.getRow(2).getCell(3).value).toBe('  spaced  ');
    expect(s1.getRow(3).getCell(1).value).toBeNull();
    expect(s1.getRow(3).getCell(2).value).toBe(100000000.01);
    expect(s1.getColumn(1).width).toBe(20);
    expect(wb.getWorksheet('Statement 2')!.getRow(1).getCell(2).value).toBe(0.15);

    // The amount is stored as its exact decimal text, not a float's rendering.
    const sheet = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']!);
    expect(sheet).toContain('<v>100000000.01</v>');
    expect(Object.keys(unzipSync(bytes))).toContain('[Content_Types].xml');
  });

  it('refuses a "number" that is not decimal text', async () => {
    await collect(async (out) => {
      const w = xlsxWriter(out, { widths: [10], twoDecimals: [] });
      await w.addSheet('S');
      await expect(w.addRow([{ number: '1e3' }])).rejects.toThrow(/not a decimal/);
      await w.finish();
    });
  });
});

describe('excelSerial', () => {
  it('is days since 1899-12-30 in Beijing time, and each second of a day reads back as that second', () => {
    // ECMA-376 §18.17.4.1 (1900 date system): 2026-11-20 is serial 46346; 09:00 is 0.375 of a day.
    expect(excelSerial(new Date('2026-11-20T01:00:00Z'))).toBe('46346.375');
    expect(excelSerial(new Date('2026-11-19T16:00:00Z'))).toBe('46346');
    // What a spreadsheet shows as hh:mm:ss is the serial times 86,400 (LibreOffice truncates): never a
    // second early. 8 fixed decimals (the old writing) put 00:00:28 at 27.9996 s.
    for (let s = 0; s < 86_400; s += 1) {
      const shown = (Number(excelSerial(new Date(Date.UTC(2026, 10, 19, 16, 0, s)))) - 46346) * 86_400;
      expect(Math.abs(shown - s)).toBeLessThan(1e-6);
    }
  });
});

describe('xmlText', () => {
  it('escapes what XML 1.0 cannot carry as _xHHHH_ (ECMA-376 ST_Xstring), and an underscore that would read as one', () => {
    expect(xmlText('a\u0001b\u001Fc')).toBe('a_x0001_b_x001F_c');
    expect(xmlText('_x0041_')).toBe('_x005F_x0041_');
    expect(xmlText('tab\tnew\nline')).toBe('tab\tnew\nline');
    expect(xmlText('a&b<c>"d"')).toBe('a&amp;b&lt;c&gt;&quot;d&quot;');
  });
});
