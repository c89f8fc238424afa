/** Opaque identifiers: ULIDs with a readable prefix (`pay_01J…`), sortable by creation time. */

/** Prefixes for each kind of entity id. */
export const ID_PREFIXES = {
  payment: 'pay',
  refund: 'rfd',
  visit: 'vis',
  copyRequest: 'cpy',
  batch: 'bat',
  reconciliation: 'rec',
  event: 'evt',
  endpoint: 'we',
  delivery: 'dlv',
  discrepancy: 'dsc',
  request: 'req',
  dispute: 'dsp',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

/** Joins an entity prefix and a ULID. */
export function prefixedId(kind: IdKind, ulid: string): string {
  return `${ID_PREFIXES[kind]}_${ulid}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** When a minted id was created (a ULID's first ten characters are its millisecond time), or undefined. */
export function timeOfId(id: string): Date | undefined {
  const ulid = id.slice(id.indexOf('_') + 1);
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(ulid)) return undefined;
  let ms = 0;
  for (const c of ulid.slice(0, 10)) ms = ms * 32 + CROCKFORD.indexOf(c);
  return new Date(ms);
}
