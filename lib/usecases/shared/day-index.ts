/**
 * A business day's list of one kind of entity (visits, copy requests), for search: an index entry written
 * once with the entity, in the day's GSI1 partition sorted by creation time, so a day is one partition
 * read page by page, never a table scan.
 */
import { businessDayOf } from '../../domain/business-day';
import type { EntityWrite, LedgerStore } from '../../ports/ledger-store';

/** GSI1 partition of one kind's entities created on a business day. */
const dayPartition = (type: string, day: string) => `DAY#${type}#${day}`;

/** The index entry listing entity `type`/`id` under the business day of `createdAt`. */
export function dayIndexWrite(type: string, id: string, createdAt: string): EntityWrite {
  return {
    type: 'dayidx',
    id: `${type}:${id}`,
    state: { type, id },
    expect: { kind: 'absent' },
    indexes: {
      byRef: {
        partition: dayPartition(type, businessDayOf(new Date(createdAt))),
        sort: `${createdAt}#${id}`,
      },
    },
  };
}

/**
 * One page of a day's entities of `type`, oldest first, loaded and kept when `keep` says so, with the
 * cursor of the next page (absent on the last). A page may hold fewer than `limit` when `keep` drops some.
 */
export async function searchDay<T>(
  ledger: LedgerStore,
  type: string,
  page: { date: string; limit: number; cursor?: string },
  keep: (value: T) => boolean,
): Promise<{ values: T[]; nextCursor?: string }> {
  const found = await ledger.pageIndex('byRef', dayPartition(type, page.date), {
    limit: page.limit,
    cursor: page.cursor,
  });
  const loaded = await Promise.all(
    found.entities.map(
      async (e) => (await ledger.getEntity(type, (e.state as { id: string }).id))?.state as T,
    ),
  );
  return {
    values: loaded.filter((v) => v !== undefined && keep(v)),
    ...(found.cursor ? { nextCursor: found.cursor } : {}),
  };
}
