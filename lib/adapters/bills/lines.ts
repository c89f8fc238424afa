/** Streaming helpers for provider bill files: bytes → text lines, with bounded memory. */
import { Readable, Transform } from 'node:stream';
import { createInterface } from 'node:readline';
import { Unzip, UnzipInflate } from 'fflate';
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

/**
 * The Unicode name of a zip entry as fflate reports it. fflate decodes a name as UTF-8 only when the entry
 * sets the language-encoding flag (general purpose bit 11, APPNOTE 4.4.4) and as Latin-1 otherwise, which
 * keeps the raw bytes recoverable. Alipay's bill zips name their entries in GBK WITHOUT that flag: the fix
 * in alipay/alipay-sdk-java-all issue #4 ("对账单zip解压错误") is `new ZipFile(zip, Charset.forName("GBK"))`.
 * Unflagged names are therefore read back as their bytes and decoded as UTF-8 when they are valid UTF-8
 * (some tools omit the flag), else as GBK (GB18030, its superset).
 */
export function zipEntryName(reported: string): string {
  const codes = [...reported].map((c) => c.codePointAt(0) ?? 0);
  if (codes.some((c) => c > 0xff) || codes.every((c) => c < 0x80)) return reported;
  const bytes = Buffer.from(reported, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The entries of a zip held in memory, by Unicode name, each as a stream of its inflated bytes (fflate, streaming). */
export function unzipEntries(zip: Uint8Array): Map<string, Readable> {
  const out = new Map<string, Readable>();
  const unzip = new Unzip((file) => {
    const stream = new Readable({ read() {} });
    out.set(zipEntryName(file.name), stream);
    file.ondata = (error, chunk, final) => {
      if (error) stream.destroy(error);
      else {
        stream.push(Buffer.from(chunk));
        if (final) stream.push(null);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.push(zip, true);
  return out;
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
