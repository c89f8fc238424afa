/** IdGenerator port: mints opaque, time-sortable entity ids, or derives them from a request's key. */
import type { IdKind } from '../domain/ids';

/**
 * Mints a new id for an entity kind, or derives the same id every time from a key (a caller-scoped
 * Idempotency-Key), so a re-executed request creates nothing twice.
 * @example ids.next('payment') // 'pay_01JD3…'
 * @example ids.derive('payment', requestKey) // the same 'pay_…' for every attempt of one request
 */
export interface IdGenerator {
  next(kind: IdKind): string;
  derive(kind: IdKind, key: string): string;
}
