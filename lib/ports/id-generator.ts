/** IdGenerator port: mints opaque, time-sortable entity ids. */
import type { IdKind } from '../domain/ids';

/**
 * Mints a new id for an entity kind.
 * @example ids.next('payment') // 'pay_01JD3…'
 */
export interface IdGenerator {
  next(kind: IdKind): string;
}
