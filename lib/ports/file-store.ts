/** FileStore port: where exported files (statements) are written and how people download them. */
import type { Writable } from 'node:stream';

/**
 * Writes files by streaming into them, and hands out time-limited download links.
 * @example
 * await files.put('statements/2026-11-24/alipay.csv', 'text/csv; charset=utf-8', (out) => writeCsv(rows, out));
 * const url = await files.downloadUrl('statements/2026-11-24/alipay.csv', 900);
 */
export interface FileStore {
  put(key: string, contentType: string, write: (out: Writable) => Promise<void>): Promise<void>;
  downloadUrl(key: string, ttlSec: number): Promise<string>;
}
