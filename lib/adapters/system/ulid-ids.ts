/** IdGenerator adapter on monotonic ULIDs, with ids derived from keys by SHA-256. */
import { createHash } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { prefixedId, type IdKind } from '../../domain/ids';
import type { IdGenerator } from '../../ports/id-generator';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 26 Crockford base-32 characters (130 bits) of a SHA-256: the same shape as a ULID, with no time in it. */
function base32Of(digest: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** Creates an IdGenerator whose ids sort by creation time, even within one millisecond. */
export function ulidIds(): IdGenerator {
  const next = monotonicFactory();
  return {
    next: (kind: IdKind) => prefixedId(kind, next()),
    derive: (kind: IdKind, key: string) =>
      prefixedId(kind, base32Of(createHash('sha256').update(`${kind}\n${key}`).digest())),
  };
}
