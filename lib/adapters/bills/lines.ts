/** Streaming helpers for provider bill files: bytes → text lines, with bounded memory. */
import { Readable, Transform } from 'node:stream';
import { createInterface } from 'node:readline';
import { parseYuan, type Fen } from '../../domain/money';

/** Decodes GBK bytes to text with Node's own (ICU) decoder, carrying split characters across chunks. */
function gbkDecoder(): Transform {
  const decoder = new TextDecoder('gbk', { fatal: true });
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

/** Lines of a byte stream decoded with `encoding` (utf8 or gbk), one at a time. */
export function linesOf(bytes: Readable, encoding: 'utf8' | 'gbk'): AsyncIterable<string> {
  const text = encoding === 'gbk' ? bytes.pipe(gbkDecoder()) : bytes.setEncoding('utf8');
  return createInterface({ input: text, crlfDelay: Infinity });
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
