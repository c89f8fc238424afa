/**
 * A streaming XLSX (Office Open XML SpreadsheetML, ECMA-376 Part 1) writer for plain tables of text and
 * numbers, zipped with fflate as it goes, in place of exceljs (250 KB plus its zip, stream and promise
 * libraries, and every row held as an object). What it writes, by the standard:
 *   - one worksheet part per sheet (§18.3.1.99 worksheet, §18.3.1.80 sheetData, §18.3.1.73 row,
 *     §18.3.1.4 c); text as inline strings (`t="inlineStr"`, §18.3.1.53 is), numbers as `<v>` with the
 *     exact decimal text, so no amount goes through a float;
 *   - styles with built-in number format 2, "0.00" (§18.8.30 numFmt: the predefined formats table);
 *   - ST_Xstring escaping (§22.9.2.19): characters XML 1.0 cannot carry are written as `_xHHHH_`, and an
 *     underscore that would read as such an escape is itself escaped (`_x005F_`); a CR is written `&#13;`,
 *     which XML's end-of-line handling keeps.
 * tests/unit/adapters/files/statement-files.test.ts reads the result back with exceljs.
 */
import type { Writable } from 'node:stream';
import { Zip, ZipDeflate } from 'fflate';

/**
 * A cell: text, a number given as its exact decimal text (`{ number: '-25.00' }`), or an instant shown as
 * an Asia/Shanghai date-time (`{ dateTime }`: a date serial with format yyyy-mm-dd hh:mm:ss, §18.17.4).
 */
export type XlsxCell = string | { readonly number: string } | { readonly dateTime: Date } | undefined;

/** Column widths in characters, and which columns show numbers with two decimals. */
export interface XlsxColumns {
  readonly widths: readonly number[];
  readonly twoDecimals: readonly number[];
}

/** A sheet's frozen top rows and the row its autofilter sits on (1-based). */
export interface XlsxSheetOptions {
  readonly frozenRows?: number;
  readonly autoFilterRow?: number;
}

/**
 * Days since 1899-12-30 in Beijing time (§18.17.4.1, the 1900 date system; China has no daylight saving):
 * 2026-11-20 09:00:00 +08:00 is 46346.375. Written as the nearest double, in full: a second is 1/86,400 of
 * a day, which no decimal holds exactly, and 8 decimals (0.864 ms) put 00:00:28 at 27.9996 s, which
 * LibreOffice Calc shows as 00:00:27 (tests/office).
 */
export const excelSerial = (at: Date) => String((at.getTime() + 8 * 3_600_000) / 86_400_000 + 25_569);

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** XML text with ST_Xstring escapes for what XML 1.0 cannot hold. */
export function xmlText(value: string): string {
  return (
    value
      .replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_')
      .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string)
      // A raw CR is read back as LF (XML 1.0 §2.11, end-of-line handling); a character reference is kept.
      .replace(/\r/g, '&#13;')
      .replace(
        // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
        /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g,
        (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
      )
  );
}

/** A1-style column letters for a zero-based index. */
const column = (i: number): string =>
  (i < 26 ? '' : column(Math.floor(i / 26) - 1)) + String.fromCharCode(65 + (i % 26));

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Writes a workbook to `out`: add sheets, append rows, then `finish()`. Awaits `out`'s backpressure. */
export function xlsxWriter(out: Writable, columns: XlsxColumns) {
  const pending: Uint8Array[] = [];
  let failure: Error | undefined;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else pending.push(chunk);
    if (final) pending.push(new Uint8Array(0));
  });
  const encoder = new TextEncoder();
  /** Writes what the zip produced so far, waiting for `out` to drain. */
  const flush = async () => {
    if (failure) throw failure;
    for (const chunk of pending.splice(0)) {
      if (chunk.length > 0 && !out.write(chunk)) await new Promise((r) => out.once('drain', r));
    }
  };
  const part = async (name: string, text: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(encoder.encode(text), true);
    await flush();
  };

  const sheetNames: string[] = [];
  let sheet: ZipDeflate | undefined;
  let sheetOptions: XlsxSheetOptions = {};
  let rowNumber = 0;
  let filterEnd: number | undefined;
  let buffered = '';

  /** §18.3.1.87 sheetView with a frozen pane (§18.3.1.66) below the first `frozenRows` rows. */
  const views = (frozen?: number) =>
    frozen
      ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${frozen}" topLeftCell="A${frozen + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`
      : '';
  /** §18.3.1.2 autoFilter over the header row and the rows below it. */
  const sheetTail = () => {
    const row = sheetOptions.autoFilterRow;
    const end = filterEnd ?? rowNumber;
    const filter =
      row && end > row ? `<autoFilter ref="A${row}:${column(columns.widths.length - 1)}${end}"/>` : '';
    return `</sheetData>${filter}</worksheet>`;
  };

  const sheetHead = () =>
    `${XML}<worksheet xmlns="${NS}">${views(sheetOptions.frozenRows)}<cols>${columns.widths
      .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
      .join('')}</cols><sheetData>`;

  /** Pushes buffered rows into the sheet's deflate stream. */
  const pushRows = async (final = false) => {
    if (!sheet) return;
    sheet.push(encoder.encode(buffered), final);
    buffered = '';
    await flush();
  };

  return {
    /** Starts a new worksheet (closing the previous one). */
    async addSheet(name: string, options: XlsxSheetOptions = {}) {
      if (sheet) {
        buffered += sheetTail();
        await pushRows(true);
      }
      sheetOptions = options;
      filterEnd = undefined;
      sheetNames.push(name);
      sheet = new ZipDeflate(`xl/worksheets/sheet${sheetNames.length}.xml`, { level: 6 });
      zip.add(sheet);
      rowNumber = 0;
      buffered = sheetHead();
    },

    /** Appends a row to the current sheet. */
    async addRow(cells: readonly XlsxCell[]) {
      rowNumber += 1;
      let xml = `<row r="${rowNumber}">`;
      cells.forEach((cell, i) => {
        if (cell === undefined || cell === '') return;
        const ref = `${column(i)}${rowNumber}`;
        if (typeof cell === 'string') {
          xml += `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(cell)}</t></is></c>`;
        } else if ('dateTime' in cell) {
          xml += `<c r="${ref}" s="2"><v>${excelSerial(cell.dateTime)}</v></c>`;
        } else {
          if (!NUMBER.test(cell.number)) throw new Error(`not a decimal number: ${cell.number}`);
          const style = columns.twoDecimals.includes(i) ? ' s="1"' : '';
          xml += `<c r="${ref}"${style}><v>${cell.number}</v></c>`;
        }
      });
      buffered += `${xml}</row>`;
      if (buffered.length > 64 * 1024) await pushRows();
    },

    /** Ends the current sheet's filtered table at the last row added (rows after it are not filtered). */
    endTable() {
      filterEnd = rowNumber;
    },

    /** Closes the last sheet and writes the workbook, styles, relationships and content types. */
    async finish() {
      buffered += sheetTail();
      await pushRows(true);
      const sheets = sheetNames.map((_, i) => i + 1);
      await part(
        'xl/workbook.xml',
        `${XML}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets>${sheetNames
          .map((n, i) => `<sheet name="${xmlText(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
          .join('')}</sheets></workbook>`,
      );
      await part(
        'xl/styles.xml',
        `${XML}<styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>` +
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>' +
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
          '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
          '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
          '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
          '</styleSheet>',
      );
      await part(
        'xl/_rels/workbook.xml.rels',
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
          .map(
            (i) => `<Relationship Id="rId${i}" Type="${REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`,
          )
          .join(
            '',
          )}<Relationship Id="rId${sheets.length + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
      );
      await part(
        '_rels/.rels',
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      );
      const main = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
      await part(
        '[Content_Types].xml',
        `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          `<Override PartName="/xl/workbook.xml" ContentType="${main}.sheet.main+xml"/>` +
          `<Override PartName="/xl/styles.xml" ContentType="${main}.styles+xml"/>` +
          sheets
            .map(
              (i) =>
                `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${main}.worksheet+xml"/>`,
            )
            .join('') +
          '</Types>',
      );
      zip.end();
      await flush();
      out.end();
    },
  };
}
