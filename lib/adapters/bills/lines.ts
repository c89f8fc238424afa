/** Streaming helpers for provider bill files: bytes → CSV records, with bounded memory. */
import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { parseYuan, type Fen } from '../../domain/money';

/**
 * Decodes GBK bytes to text, carrying split characters across chunks. The decoder is GB18030's: the same for
 * every GBK byte sequence, and it also reads a 4-byte GB18030 sequence (an emoji in a subject), which Node's
 * own `gbk` decoder refuses.
 */
function gbkDecoder(): Transform {
  const decoder = new TextDecoder('gb18030', { fatal: true });
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/**
 * The CSV records of a byte stream decoded with `encoding` (utf8 or gbk), one at a time, parsed by csv-parse
 * (RFC 4180: a field holding a comma, a double quote or a line break is enclosed in double quotes, and its
 * quotes are doubled). Neither provider publishes how it quotes such a field; RFC 4180 is medpay's named
 * assumption (docs/finance.md, "Bill files"). Whitespace around a delimiter is dropped (Alipay pads every field
 * with a tab), a leading BOM is skipped (WeChat writes one), records may differ in length (preamble, summary).
 */
export function csvRecords(bytes: Readable, encoding: 'utf8' | 'gbk'): AsyncIterable<string[]> {
  const text = encoding === 'gbk' ? bytes.pipe(gbkDecoder()) : bytes.setEncoding('utf8');
  const parser = parse({ bom: true, trim: true, relax_column_count: true, skip_empty_lines: true });
  text.on('error', (error) => parser.destroy(error));
  return text.pipe(parser);
}

/** Parses a yuan amount that may carry extra zero decimals (WeChat writes fees as 0.15000); whole fen only. */
export function yuanToFen(value: string, field: string): number {
  const v = value.trim();
  const m = /^(-?)(\d+)(?:\.(\d{1,2})(\d*))?$/.exec(v);
  if (!m) throw new Error(`${field} "${v}" is not an amount`);
  // Sub-fen digits on a fee are rounded half up; they are always zero in practice.
  const base = parseYuan(`${m[2]}${m[3] ? `.${m[3]}` : ''}`, field) as number;
  const roundUp = m[4] && Number(m[4][0]) >= 5 ? 1 : 0;
  const fen = base + roundUp;
  return m[1] === '-' ? -fen : fen;
}

/** A positive amount in whole fen. */
export const positiveFen = (value: string, field: string): Fen => {
  const f = yuanToFen(value, field);
  if (f <= 0) throw new Error(`${field} must be positive`);
  return f as Fen;
};
