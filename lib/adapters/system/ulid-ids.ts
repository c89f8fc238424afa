/** IdGenerator adapter on monotonic ULIDs. */
import { monotonicFactory } from 'ulid';
import { prefixedId, type IdKind } from '../../domain/ids';
import type { IdGenerator } from '../../ports/id-generator';

/** Creates an IdGenerator whose ids sort by creation time, even within one millisecond. */
export function ulidIds(): IdGenerator {
  const next = monotonicFactory();
  return { next: (kind: IdKind) => prefixedId(kind, next()) };
}
