/**
 * Zip entries in memory (Alipay's bill zips), on fflate. Imported on first use (lib/adapters/alipay/bill.ts),
 * so fflate's tables are built only by a function that reads an Alipay bill.
 */
import { Readable } from 'node:stream';
import { Unzip, UnzipInflate } from 'fflate';

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
