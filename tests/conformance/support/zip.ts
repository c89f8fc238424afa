/**
 * A stored (uncompressed) zip written byte by byte from PKWARE's APPNOTE (4.3.7 local file header,
 * 4.3.12 central directory header, 4.3.16 end of central directory; 4.4.4 general purpose bit 11 = the
 * name is UTF-8). The test controls the name's bytes and bit 11, to build zips as Alipay ships them: GBK
 * names with bit 11 clear (alipay/alipay-sdk-java-all issue #4).
 */
import { crc32 } from 'node:zlib';

/** One entry: the name's raw bytes, whether bit 11 claims UTF-8, and the content. */
export interface StoredEntry {
  readonly name: Uint8Array;
  readonly utf8Flag: boolean;
  readonly data: Uint8Array;
}

const u16 = (v: number) => Buffer.from([v & 0xff, (v >>> 8) & 0xff]);
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};

/** The zip's bytes. */
export function storedZip(entries: readonly StoredEntry[]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const flags = e.utf8Flag ? 0x0800 : 0;
    const common = [
      u16(flags),
      u16(0),
      u16(0),
      u16(0x21),
      u32(crc32(e.data)),
      u32(e.data.length),
      u32(e.data.length),
      u16(e.name.length),
      u16(0),
    ];
    const local = Buffer.concat([
      u32(0x04034b50),
      u16(10),
      ...common,
      Buffer.from(e.name),
      Buffer.from(e.data),
    ]);
    directory.push(
      Buffer.concat([
        u32(0x02014b50),
        u16(10),
        u16(10),
        ...common,
        u16(0),
        u16(0),
        u16(0),
        u32(0),
        u32(offset),
        Buffer.from(e.name),
      ]),
    );
    parts.push(local);
    offset += local.length;
  }
  const cd = Buffer.concat(directory);
  const end = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(entries.length),
    u16(entries.length),
    u32(cd.length),
    u32(offset),
    u16(0),
  ]);
  return Buffer.concat([...parts, cd, end]);
}

/** The general-purpose flags and raw names of every central directory entry of a zip (to inspect one). */
export function zipNames(zip: Uint8Array): Array<{ flags: number; name: Buffer }> {
  const b = Buffer.from(zip);
  const out: Array<{ flags: number; name: Buffer }> = [];
  for (let i = 0; i + 46 <= b.length; i++) {
    if (b.readUInt32LE(i) !== 0x02014b50) continue;
    const nameLength = b.readUInt16LE(i + 28);
    out.push({ flags: b.readUInt16LE(i + 8), name: b.subarray(i + 46, i + 46 + nameLength) });
    i += 45 + nameLength;
  }
  return out;
}
