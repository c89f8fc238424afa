/**
 * A minimal zip writer (PKWARE APPNOTE 6.3: local headers, deflated data, central directory, end record)
 * whose entry names are written as given bytes with general purpose bit 11 (UTF-8) CLEAR: that is how
 * Alipay's bill zips name their entries, in GBK (alipay/alipay-sdk-java-all issue #4), and what fflate's
 * zipSync cannot produce (it always flags non-ASCII names as UTF-8).
 */
import { crc32, deflateRawSync } from 'node:zlib';

/** One entry: its name's raw bytes and its content. */
export interface ZipEntry {
  readonly name: Uint8Array;
  readonly data: Uint8Array;
}

/** Writes the entries, deflated, into one zip archive. */
export function zipWithRawNames(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const fields = (sig: number, central: boolean) => {
      const head = Buffer.alloc(central ? 46 : 30);
      let at = 0;
      const u16 = (v: number) => (at = head.writeUInt16LE(v, at));
      const u32 = (v: number) => (at = head.writeUInt32LE(v >>> 0, at));
      u32(sig);
      if (central) u16(20); // version made by
      u16(20); // version needed: 2.0 (deflate)
      u16(0); // flags: bit 11 clear, the name is not UTF-8
      u16(8); // deflate
      u16(0); // time
      u16(0x21); // date 1980-01-01
      u32(crc);
      u32(packed.length);
      u32(data.length);
      u16(name.length);
      u16(0); // extra length
      if (central) {
        u16(0); // comment length
        u16(0); // disk
        u16(0); // internal attributes
        u32(0); // external attributes
        u32(offset);
      }
      return head;
    };
    const local = Buffer.concat([fields(0x04034b50, false), name, packed]);
    centrals.push(Buffer.concat([fields(0x02014b50, true), name]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
