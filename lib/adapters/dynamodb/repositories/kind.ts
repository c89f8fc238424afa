/** The one generic repository: how an entity type is keyed and indexed, and its reads and writes. */
import type { EntityExpectation, EntityWrite } from '../../../ports/entity-write';
import type { Page, PageRequest, Repository, StatusRepository, Versioned } from '../../../ports/repositories';
import { businessDayOf } from '../../../domain/business-day';
import type { EntityTable, StoredEntity } from '../entity-table';

/** How one entity type is stored: its type name, its id, its index keys and the domain's transition rule. */
export interface EntityKind<T extends object> {
  readonly type: string;
  readonly id: (value: T) => string;
  readonly indexes?: (value: T) => EntityWrite['indexes'];
  /** Throws InvalidStateError for a status change the domain forbids. */
  readonly assertTransition?: (id: string, from: never, to: never) => void;
}

/**
 * The stored state as the domain value it was written from. Every item of a type is written by its own
 * repository from a value of that type, so this is the one place a stored state is read back as one.
 */
export const valueOf = <T>(stored: StoredEntity): T => stored.state as unknown as T;

/** The entity indexed under an exact reference (byRef), with its version. */
export async function byRef<T>(table: EntityTable, partition: string): Promise<Versioned<T> | undefined> {
  const stored = await table.findByRef(partition);
  return stored && versioned<T>(stored);
}

/** A stored entity with its version. */
export const versioned = <T>(stored: StoredEntity): Versioned<T> => ({
  value: valueOf<T>(stored),
  version: stored.version,
});

/** The EntityWrite of `value`'s new state. */
export function entityWrite<T extends object>(
  kind: EntityKind<T>,
  value: T,
  expect: EntityExpectation,
): EntityWrite {
  const indexes = kind.indexes?.(value);
  return { type: kind.type, id: kind.id(value), state: value, expect, ...(indexes ? { indexes } : {}) };
}

/** The repository of `kind`: reads by id, writes, and guarded transitions. */
export function repository<T extends { readonly status: string }>(
  table: EntityTable,
  kind: EntityKind<T>,
): StatusRepository<T>;
export function repository<T extends object>(table: EntityTable, kind: EntityKind<T>): Repository<T>;
export function repository<T extends object>(
  table: EntityTable,
  kind: EntityKind<T>,
): Repository<T> & { transition?: unknown } {
  const get = async (id: string) => {
    const stored = await table.getEntity(kind.type, id);
    return stored ? versioned<T>(stored) : undefined;
  };
  const write = (value: T, expect: EntityExpectation) => entityWrite(kind, value, expect);
  const transition = (current: Versioned<T & { status: string }>, next: T & { status: string }) => {
    if (next.status !== current.value.status)
      kind.assertTransition?.(kind.id(next), current.value.status as never, next.status as never);
    return write(next, { kind: 'status', status: [current.value.status], version: current.version });
  };
  return { get, write, transition };
}

/** One page of an index partition whose entries are the entities themselves. */
export async function pageOf<T>(
  table: EntityTable,
  index: 'byRef' | 'byTime',
  partition: string,
  page: PageRequest,
): Promise<Page<T>> {
  const found = await table.pageIndex(index, partition, page);
  return {
    values: found.entities.map((e) => valueOf<T>(e)),
    ...(found.cursor ? { cursor: found.cursor } : {}),
  };
}

/**
 * One page of an index partition whose entries point at entities of `type` (the id in their state's
 * `field`), each re-read from its base item (the index is eventually consistent; the entity is not).
 */
export async function pageOfPointers<T>(
  table: EntityTable,
  index: 'byRef' | 'byTime',
  partition: string,
  target: { readonly type: string; readonly field: string },
  page: PageRequest,
): Promise<Page<T>> {
  const found = await table.pageIndex(index, partition, page);
  const loaded = await Promise.all(
    found.entities.map((e) => table.getEntity(target.type, String(e.state[target.field]))),
  );
  return {
    values: loaded.flatMap((e) => (e ? [valueOf<T>(e)] : [])),
    ...(found.cursor ? { cursor: found.cursor } : {}),
  };
}

/** The write of an index entry: an item that only lists another entity, written once with it. */
export const pointerWrite = (
  type: string,
  id: string,
  state: Readonly<Record<string, string>>,
  indexes?: EntityWrite['indexes'],
): EntityWrite => ({ type, id, state, expect: { kind: 'absent' }, ...(indexes ? { indexes } : {}) });

/** The entity a pointer found by an exact reference names (its id in the pointer's `field`). */
export async function followRef<T>(
  table: EntityTable,
  partition: string,
  target: { readonly type: string; readonly field: string },
): Promise<Versioned<T> | undefined> {
  const ref = await table.findByRef(partition);
  const stored = ref && (await table.getEntity(target.type, String(ref.state[target.field])));
  return stored ? versioned<T>(stored) : undefined;
}

/** A business day's listing of one entity type: an index entry in the day's GSI1 partition, by creation time. */
export function dayListing<T extends object>(
  table: EntityTable,
  type: string,
  id: (v: T) => string,
  at: (v: T) => string,
) {
  const partition = (date: string) => `DAY#${type}#${date}`;
  return {
    dayListing: (value: T) =>
      pointerWrite(
        'dayidx',
        `${type}:${id(value)}`,
        { type, id: id(value) },
        {
          byRef: {
            partition: partition(businessDayOf(new Date(at(value)))),
            sort: `${at(value)}#${id(value)}`,
          },
        },
      ),
    ofDay: (date: string, page: PageRequest) =>
      pageOfPointers<T>(table, 'byRef', partition(date), { type, field: 'id' }, page),
  };
}
