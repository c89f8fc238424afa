/** Encoding checks shared by the provider adapters. */

/**
 * True when `value` is base64 exactly as an encoder writes it: only the alphabet, padded to a multiple of
 * four, and re-encoding its bytes gives it back. Node's decoder silently skips stray characters and
 * ignores what follows padding, which would let many spellings of one signature through.
 */
export function isCanonicalBase64(value: string): boolean {
  return (
    value.length % 4 === 0 &&
    /^[A-Za-z0-9+/]*={0,2}$/.test(value) &&
    Buffer.from(value, 'base64').toString('base64') === value
  );
}
