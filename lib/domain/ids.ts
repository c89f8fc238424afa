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
  request: 'req',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

/** Joins an entity prefix and a ULID. */
export function prefixedId(kind: IdKind, ulid: string): string {
  return `${ID_PREFIXES[kind]}_${ulid}`;
}
